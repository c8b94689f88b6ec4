"""Serve Ralph's xAPI LRS (filesystem backend) on 127.0.0.1:PORT, for tests. Run by Ralph's venv.

Usage: python ralph_lrs.py PORT  (environment: RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH,
and HOME holding .config/ralph/auth.json written by `ralph auth ... -w`).

Why not `ralph runserver`: in ralph-malph 5.1.0 the filesystem LRS backend writes its one
statements file with the data backend's default operation, CREATE, which refuses a file that
exists, so the server accepts the first POST of its life and answers 500 to every later one.
Appending is what an LRS store does; everything else (validation, auth, duplicate-id checks,
queries) is Ralph's own code. No reloader, loopback only, one process: easy to stop.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
