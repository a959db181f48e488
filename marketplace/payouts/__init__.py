"""Producer payouts: what the platform owes each producer from the sales ledger, the commission it
keeps and the tax it withholds for household businesses (Decree 117/2025/NĐ-CP), payout runs and
statements, the bank batch file and the monthly withholding report."""
