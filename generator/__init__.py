"""budgetdoc — 单位预算公开文件生成器: a unit's budget YAML → the official Word disclosure.

The package is the data flow; each stage is a subpackage that imports only the ones above it here
(tests/test_layout.py checks it):

    core/         problems (file:line:col), money (Decimal, half-up), the model, the catalogue
    1. source/      load the YAML with every node's position → validate it against the JSON Schema
                    → construct the frozen model (Decimal 元)
    2. analysis/    derive every figure and the facts behind each sentence → check the identities
                    (errors) → lint the wording (warnings); ``analysis.pipeline.analyse`` runs 1–2
    docmodel      the document as data: paragraphs, tables, charts, all already worded and formatted
    3. pack/        the region's template pack: its wording (Jinja2), table layout, 绩效目标表, then
                    assemble the document model; ``pack.unit`` checks a unit against its pack and
                    makes its document
    4. docx/        write the .docx (styles, sections, tables, charts) — byte-reproducible
    4b. workbook/   the pack's tables as a workbook (export, and the facts as CSV/JSON), and a workbook
                    read back through the same declarations into a unit's leaves (import)
    5. libreoffice  lay the .docx out with LibreOffice: 目录 page numbers, PDF
    6. build/       many units: what is up to date (cache), workers, progress, atomic writes
    commands/     the command line: check, build, new, diff, export, import
"""
__version__ = "0.1.0"
