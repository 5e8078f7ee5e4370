"""Reference data warraq recognises text by (as Python literals, no I/O)."""
