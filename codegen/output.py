"""Writing the rendered outputs so that a failure leaves the old ones."""

import os


def write_changed(outdir, outputs):
    """Write the files of outputs ({relative path: text}) whose content
    changed: first every new version beside its target, then rename them
    all, so an error while writing (a full disk, a file where a folder
    should be) leaves the old outputs as they were. An unchanged file keeps
    its time stamp, so a build recompiles only what really changed."""
    staged = []
    try:
        for rel, text in sorted(outputs.items()):
            path = os.path.join(outdir, rel)
            data = text.encode("utf-8")
            try:
                with open(path, "rb") as f:
                    if f.read() == data:
                        continue
            except FileNotFoundError:
                os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path + ".tmp", "wb") as f:
                staged.append(path)
                f.write(data)
    except OSError:
        for path in staged:
            try:
                os.remove(path + ".tmp")
            except OSError:
                pass
        raise
    for path in staged:
        os.replace(path + ".tmp", path)
