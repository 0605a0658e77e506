"""The tensor family's interface model: the wire format arrays and scalars travel in."""
