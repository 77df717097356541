"""copydesk's exceptions. Every error copydesk raises on purpose is a `CopydeskError`."""


class CopydeskError(Exception):
    """Base class: catch this to handle any page copydesk could not process."""


class ExtractionTimeout(CopydeskError):
    """The page took longer than `Options.timeout` seconds (checked between and inside stages)."""


class InputTooLarge(CopydeskError):
    """The input is larger than `Options.max_bytes`."""


class InvalidInput(CopydeskError):
    """The input is of the wrong type or cannot be read as a page at all."""


class ExtractionError(CopydeskError):
    """copydesk failed on this page for a reason of its own (a bug, or input that
    breaks a library underneath); the original exception is chained as `__cause__`."""
