"""The Compare page's views: the picker on top, then one module per tab."""
