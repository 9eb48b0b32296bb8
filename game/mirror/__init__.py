"""Mirror maths: reflect the unaffected arm onto the affected side, in the landmarks
(transform.py, pure numpy, exported here) and in the camera picture (game.mirror.picture,
numpy and cv2: imported from there, so the landmark maths never loads OpenCV).

Mirroring is presentation only: scoring always uses the unmirrored anatomical landmarks.
"""

from game.mirror.transform import (
    blend_arm,
    body_midline_px,
    display_pose,
    mirror_pose,
    reflect_point_norm,
)

__all__ = [
    "blend_arm",
    "body_midline_px",
    "display_pose",
    "mirror_pose",
    "reflect_point_norm",
]
