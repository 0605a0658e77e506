"""Matrix plans (``accord plan``): a plan file, per-cell environments, executors and resumable output."""
