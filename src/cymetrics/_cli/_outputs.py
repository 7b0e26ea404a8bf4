"""stub"""


def write_html(path, report, curves):
    raise NotImplementedError


def write_plots(d, report, curves):
    raise NotImplementedError
