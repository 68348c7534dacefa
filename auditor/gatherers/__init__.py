"""What to collect at a checkpoint, independent of the driver that collects it.

Each gatherer is a piece of JavaScript (evaluated in the page) plus the Python that turns its
result into models. The drivers only know how to evaluate a script and listen to the network.
"""
