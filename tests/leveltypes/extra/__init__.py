"""Level types that exist only for tests, discovered with level_types("tests.leveltypes.extra")."""
