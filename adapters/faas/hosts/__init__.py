"""Support code for the FaaS hosts driven by Accord's adapters (shims, host entry points)."""
