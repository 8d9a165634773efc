"""The one exception type for input that cannot be read."""


class SliceFileError(Exception):
    """The file cannot be read; the message is a sentence a user can act on."""
