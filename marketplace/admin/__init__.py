"""The programme administrators' pages: verification queues and the mail outbox."""
