"""The FaaS family's interface model: the handler contract types and the probe functions."""
