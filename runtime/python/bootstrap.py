"""firedrill's stand-in for the Lambda Python runtime: one warm execution environment.

Started by the local runtime with the function's venv interpreter, its code directory as the working directory
and its environment. Imports ``module.function`` once (the cold start), then reads one JSON request per line on
stdin, ``{"id", "event", "requestId", "deadlineMs"}``, and writes one JSON reply per line on its protocol
channel, ``{"id", "result"}`` or ``{"id", "error", "type", "stack"}``. The protocol channel is the original stdout;
everything the handler prints (``print``, ``logging``, C extensions writing to fd 1) goes to stderr, which the
runtime keeps as the function's log. The first line is ``{"ready": true}`` or ``{"initError": ...}``.

Timeouts are enforced from outside (the runtime kills this process, as Lambda ends a timed-out environment).
"""

import importlib
import json
import logging
import os
import sys
import time
import traceback

# The protocol keeps the real stdout; fd 1 becomes stderr so that nothing the handler prints can corrupt it.
_protocol = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
os.dup2(2, 1)
sys.stdout = sys.stderr


def _send(message):
    _protocol.write(json.dumps(message, separators=(",", ":")) + "\n")
    _protocol.flush()


class LambdaContext:
    """The context object Lambda passes to a Python handler (the attributes handlers use)."""

    def __init__(self, static, request_id, deadline_ms):
        self.function_name = static["functionName"]
        self.function_version = "$LATEST"
        self.invoked_function_arn = static["invokedFunctionArn"]
        self.memory_limit_in_mb = int(static["memoryLimitInMB"])
        self.log_group_name = static["logGroupName"]
        self.log_stream_name = static["logStreamName"]
        self.aws_request_id = request_id
        self.identity = None
        self.client_context = None
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


_current_request_id = ""


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id
        return True


def _configure_logging():
    # As the Lambda runtime does: a handler on the root logger in Lambda's format; the level stays the handler's
    # choice (WARNING unless it sets one).
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"))
    handler.formatter.converter = time.gmtime
    handler.addFilter(_RequestIdFilter())
    logging.getLogger().addHandler(handler)


def _error(exc_type, message, tb_lines):
    return {"errorType": exc_type, "errorMessage": message, "stackTrace": tb_lines}


def _load(handler_name, task_root):
    module_name, _, function_name = handler_name.rpartition(".")
    module_name = module_name.replace("/", ".")
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - reported, as Lambda reports it
        return None, _error(
            "Runtime.ImportModuleError",
            "Unable to import module '%s': %s: %s" % (module_name, type(exc).__name__, exc),
            traceback.format_exception(type(exc), exc, exc.__traceback__)[-8:],
        )
    fn = getattr(module, function_name, None)
    if not callable(fn):
        return None, _error("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (function_name, module_name), [])
    return fn, None


def main():
    global _current_request_id
    static = json.loads(sys.argv[1])
    _configure_logging()
    started = time.perf_counter()
    fn, init_error = _load(static["handler"], static["taskRoot"])
    if init_error:
        _send({"initError": init_error})
        return 1
    _send({"ready": True, "initMs": (time.perf_counter() - started) * 1000})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        _current_request_id = request["requestId"]
        context = LambdaContext(static, request["requestId"], request["deadlineMs"])
        try:
            result = fn(request["event"], context)
        except Exception as exc:  # noqa: BLE001 - the handler's failure is the invocation's result
            _send({"id": request["id"], "error": str(exc), "type": type(exc).__name__, "stack": traceback.format_exception(type(exc), exc, exc.__traceback__)[1:]})
            continue
        try:
            reply = json.dumps({"id": request["id"], "result": result}, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            _send({"id": request["id"], "error": "Unable to marshal response: %s" % exc, "type": "Runtime.MarshalError", "stack": []})
            continue
        _protocol.write(reply + "\n")
        _protocol.flush()
        sys.stderr.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
