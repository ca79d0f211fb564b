"""Log formats: each module turns lines of one format into :class:`~bastion.logs.records.LogRecord`."""
