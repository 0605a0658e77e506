"""Why a reference run fails."""


class PipelineError(Exception):
    """The pipeline fails at run time (the spec demands that it fails)."""


class UnportablePipeline(PipelineError):
    """The pipeline's result depends on something pipeline spec 1.0 leaves unspecified or excludes."""
