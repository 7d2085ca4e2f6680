"""The 街道 report: one model (:mod:`layers.report.model`) and its JSON, XLSX and DOCX writers."""
