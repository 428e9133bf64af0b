"""The four reports of the board dashboard (issue 10): weekly manager, monthly board, quarterly panel,
annual safeguarding report, each as PDF and XLSX, made from the same figures as the dashboard."""
