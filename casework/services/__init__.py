"""Write services: the only code that changes a case. See docs/architecture.md."""
