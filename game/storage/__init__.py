"""MirrorPlay storage: the only package that talks SQL (stdlib sqlite3, or PostgreSQL via psycopg 3).

Open with ``open_database(default_db_path(demo=False))`` (or a ``postgresql://`` URL); every
failure a user can meet is a `StorageError` whose message is meant to be printed as is. Code
outside storage types its database as a Protocol of game/storage/protocol.py (:class:`Store` or a
smaller role).
"""

from game.storage.connect import open_database, server_name
from game.storage.db import Database
from game.storage.errors import StorageError
from game.storage.owners import HEARTBEAT_INTERVAL_S, HEARTBEAT_TIMEOUT_S, Heartbeat, Owner
from game.storage.paths import default_data_dir, default_db_path
from game.storage.pg import db_target, is_postgres_url
from game.storage.protocol import (
    FamilyAccessStore,
    HistoryReader,
    MetaStore,
    PatientStore,
    SessionWriter,
    Store,
)
from game.storage.records import (
    Calibration,
    ChangeLogEntry,
    LevelResult,
    Patient,
    Rep,
    RepRow,
    SessionRow,
    day_of,
    utc_now,
)
from game.storage.repwriter import RepWriter, import_recovery_files
from game.storage.schema import LATEST_VERSION

__all__ = [
    "HEARTBEAT_INTERVAL_S",
    "HEARTBEAT_TIMEOUT_S",
    "LATEST_VERSION",
    "Heartbeat",
    "Owner",
    "RepWriter",
    "import_recovery_files",
    "Calibration",
    "ChangeLogEntry",
    "FamilyAccessStore",
    "Database",
    "HistoryReader",
    "LevelResult",
    "MetaStore",
    "Patient",
    "PatientStore",
    "Rep",
    "RepRow",
    "SessionRow",
    "SessionWriter",
    "StorageError",
    "Store",
    "day_of",
    "db_target",
    "is_postgres_url",
    "default_data_dir",
    "default_db_path",
    "open_database",
    "server_name",
    "utc_now",
]
