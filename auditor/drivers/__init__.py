"""Browser drivers behind one protocol (drivers.base): Playwright by default."""
