"""Mirror maths (pure numpy): reflect the unaffected arm onto the affected side.

Mirroring is presentation only: scoring always uses the unmirrored anatomical landmarks.
"""

from game.mirror.transform import (
    blend_arm,
    body_midline_px,
    display_pose,
    mirror_pose,
    reflect_point_norm,
)

__all__ = ["blend_arm", "body_midline_px", "display_pose", "mirror_pose", "reflect_point_norm"]
