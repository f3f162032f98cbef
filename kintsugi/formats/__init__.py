"""The project's date and time formats per language (settings.FORMAT_MODULE_PATH): day-month-year and 24-hour
everywhere, so that 06/12 is never read as 12 June. Use them by name (|date:"SHORT_DATETIME_FORMAT", or
kintsugi.lib.dates.format_moment for the Thai Buddhist year); never write a format string by hand."""
