"""The FaaS family's reference host: the oracle every function host is compared with."""

from accord.reference.faas.host import ReferenceHost, error_response

__all__ = ["ReferenceHost", "error_response"]
