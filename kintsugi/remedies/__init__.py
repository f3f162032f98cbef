"""Making it right: the remedy catalogue, frontline authority limits and approvals, fulfilment, the customer's
hidden costs and the cost of failure."""
