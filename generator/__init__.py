"""budgetdoc — 单位预算公开文件生成器: unit budget YAML → the official Word disclosure."""
__version__ = "0.1.0"
