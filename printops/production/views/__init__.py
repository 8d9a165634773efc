"""Production pages by resource: the queue (with queueing a version and the schedule), a job's
page and its actions, printers.

Every action is a POST that calls one service and comes back with its sentence as a message;
a refusal (DomainError) is a message too, never a 500.
"""
