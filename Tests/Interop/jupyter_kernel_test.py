"""Drives `serscript kernel` with Jupyter's own client libraries (jupyter_client, nbclient).

Usage: python3 Tests/Interop/jupyter_kernel_test.py --serscript PATH
Re-executes itself in `.venv-jupyter` (made on first use by the repo's venv helper). Installs the
kernelspec with `serscript kernel install --prefix TMP`, finds it the way Jupyter does (JUPYTER_PATH), and checks
every message type, output kind, interrupts, restart, shutdown and hostile messages; then converts
an example to a notebook and runs it with nbclient on a tiny generated corpus. Exit status 0 when
every check passed; each failure is printed.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / "Benchmarks/peers"))
import torch_venv  # noqa: E402  (the repo's venv re-exec helper, standard library only)

# Jupyter's client libraries only: no kernel, no server.
torch_venv.reexec_in_venv(__file__, venv=REPO_ROOT / ".venv-jupyter",
                          requirements=["jupyter_client>=8", "nbclient>=0.10", "nbformat>=5.9"])

import nbformat  # noqa: E402
import zmq  # noqa: E402
from jupyter_client.manager import KernelManager  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

TIMEOUT = 60


class Check:
    def __init__(self):
        self.failures: list[str] = []
        self.count = 0

    def __call__(self, condition, what):
        self.count += 1
        if not condition:
            self.failures.append(what)
            print(f"FAIL: {what}", flush=True)


check = Check()


def run_cell(client, code, timeout=TIMEOUT, **options):
    """Executes `code`; returns (reply content, iopub messages of that request until idle)."""
    msg_id = client.execute(code, **options)
    messages = []
    while True:
        message = client.get_iopub_msg(timeout=timeout)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        messages.append(message)
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    reply = client.get_shell_msg(timeout=timeout)
    assert reply["parent_header"]["msg_id"] == msg_id
    return reply["content"], messages


def of_type(messages, kind):
    return [m["content"] for m in messages if m["msg_type"] == kind]


def stdout_of(messages):
    return "".join(c["text"] for c in of_type(messages, "stream") if c["name"] == "stdout")


def request(client, channel, kind, content):
    message = client.session.msg(kind, content)
    getattr(client, channel).send(message)
    return message["header"]["msg_id"]


def reply_to(client, channel, msg_id, timeout=TIMEOUT):
    while True:
        reply = getattr(client, channel).get_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply


def test_kernelspec(serscript, prefix):
    installed = subprocess.run([serscript, "kernel", "install", "--prefix", str(prefix)], capture_output=True, text=True)
    check(installed.returncode == 0, f"kernel install: {installed.stderr}")
    spec = json.loads((prefix / "share/jupyter/kernels/serscript/kernel.json").read_text())
    check(spec["language"] == "serscript", f"kernelspec language: {spec}")
    check(spec["argv"][1:] == ["kernel", "-f", "{connection_file}"], f"kernelspec argv: {spec['argv']}")
    check(Path(spec["argv"][0]).is_absolute(), "kernelspec names the executable by absolute path")
    check(spec["metadata"]["file_extension"] == ".sers" and spec["metadata"]["codemirror_mode"], f"kernelspec metadata: {spec}")


def test_messages(client):
    client.kernel_info()
    info = client.get_shell_msg(timeout=TIMEOUT)
    check(info["msg_type"] == "kernel_info_reply", f"kernel_info reply type {info['msg_type']}")
    check(info["content"]["protocol_version"] == "5.3", f"protocol {info['content']}")
    language = info["content"]["language_info"]
    check(language["name"] == "serscript" and language["file_extension"] == ".sers", f"language_info {language}")

    reply, messages = run_cell(client, 'print("hello")\nlet x = 1 + 2\nx')
    check(reply["status"] == "ok" and reply["execution_count"] == 1, f"execute reply {reply}")
    kinds = [m["msg_type"] for m in messages]
    check(kinds[0] == "status" and messages[0]["content"]["execution_state"] == "busy", f"busy first: {kinds}")
    check(of_type(messages, "execute_input")[0]["code"].startswith("print"), f"execute_input: {kinds}")
    check(stdout_of(messages) == "hello\n", f"stdout stream: {stdout_of(messages)!r}")
    results = of_type(messages, "execute_result")
    check(len(results) == 1 and results[0]["data"]["text/plain"] == "3" and results[0]["execution_count"] == 1,
          f"execute_result: {results}")

    reply, messages = run_cell(client, "fn bad(n) = [1, 2][n]\nlet y = 1\nbad(5)")
    errors = of_type(messages, "error")
    check(reply["status"] == "error" and len(errors) == 1, f"error reply {reply}")
    trace = "\n".join(reply.get("traceback", []))
    check("In[2]:1:" in trace and "in fn bad called at In[2]:3:1" in trace, f"traceback names file:line:col and the chain: {trace}")

    reply, messages = run_cell(client, "for i in range(20000) { print(i) }", store_history=False)
    check(stdout_of(messages) == "".join(f"{i}\n" for i in range(20000)), "20,000 printed lines arrive whole and in order")

    reply, messages = run_cell(client, "undefined_name + 1")
    check(reply["status"] == "error" and reply["ename"] == "NameError", f"name error {reply}")

    reply, messages = run_cell(client, "let quiet = 5\nquiet", silent=True)
    check(reply["status"] == "ok" and not of_type(messages, "execute_result") and not of_type(messages, "execute_input"),
          f"silent execution shows nothing: {[m['msg_type'] for m in messages]}")

    run_cell(client, "let items = [1, 2]")
    for code, expected in [("pri", "print"), ("items.ap", "items.append"), ("plot_b", "plot_bar")]:
        client.complete(code, len(code))
        matches = client.get_shell_msg(timeout=TIMEOUT)["content"]
        check(expected in matches["matches"] and matches["cursor_start"] == 0 and matches["cursor_end"] == len(code),
              f"complete {code!r}: {matches}")

    client.inspect("plot_bar(", 3)
    found = client.get_shell_msg(timeout=TIMEOUT)["content"]
    check(found["found"] and "plot_bar(" in found["data"]["text/plain"], f"inspect plot_bar: {found}")
    client.inspect("items.append", 8)
    found = client.get_shell_msg(timeout=TIMEOUT)["content"]
    check(found["found"] and "append" in found["data"]["text/plain"], f"inspect a method after a dot: {found}")

    for code, status in [("fn f(a) {", "incomplete"), ('let s = "abc', "incomplete"), ("1 + 2", "complete"), ("1 +* )", "invalid")]:
        client.is_complete(code)
        answer = client.get_shell_msg(timeout=TIMEOUT)["content"]
        check(answer["status"] == status, f"is_complete {code!r}: {answer}")

    client.history(hist_access_type="tail", n=2)
    history = client.get_shell_msg(timeout=TIMEOUT)["content"]["history"]
    check([entry[2] for entry in history] == ["undefined_name + 1", "let items = [1, 2]"], f"history tail: {history}")
    client.history(hist_access_type="search", pattern="print*")
    history = client.get_shell_msg(timeout=TIMEOUT)["content"]["history"]
    check(len(history) == 1 and history[0][1] == 1, f"history search: {history}")

    msg_id = request(client, "shell_channel", "comm_info_request", {})
    check(reply_to(client, "shell_channel", msg_id)["content"]["status"] == "ok", "comm_info")


def test_rich_output(client, corpus):
    reply, messages = run_cell(client, 'plot_bar({"a": 1, "b": 2}, title: "Counts")')
    displays = of_type(messages, "display_data")
    check(len(displays) == 1 and "<svg" in displays[0]["data"].get("image/svg+xml", ""), f"plot as SVG: {displays}")
    reply, messages = run_cell(client, f'let ds = corpus("ravdess", "{corpus}")\nds')
    data = of_type(messages, "execute_result")[0]["data"] if of_type(messages, "execute_result") else {}
    check("<table>" in data.get("text/html", "") and "<th>emotion</th>" in data["text/html"], f"dataset as an HTML table: {data}")
    check("clips" in data.get("text/plain", ""), "dataset's plain-text fallback")
    reply, messages = run_cell(client, 'display(ds)\nprint("after")')
    displays = of_type(messages, "display_data")
    check(displays and "<table>" in displays[0]["data"].get("text/html", "") and stdout_of(messages) == "after\n",
          f"display(ds) shows the HTML table: {displays}")
    reply, messages = run_cell(client, 'plot_bar({"a": 1}, title: "Quiet");')
    check(of_type(messages, "display_data") and not of_type(messages, "execute_result"), "a trailing ; keeps the value quiet")
    reply, messages = run_cell(client, "load(ds.paths[0], sr: 16000)")
    data = of_type(messages, "execute_result")[0]["data"] if of_type(messages, "execute_result") else {}
    check('<audio controls src="data:audio/wav;base64,' in data.get("text/html", ""), f"audio player: {str(data)[:300]}")
    reply, messages = run_cell(client, "seq(linear(4, 8), relu(), linear(8, 2))")
    data = of_type(messages, "execute_result")[0]["data"] if of_type(messages, "execute_result") else {}
    check("<th>layer</th>" in data.get("text/html", "") and "58 trainable parameters" in data["text/html"], f"model layer table: {data}")
    code = ("let fs = feature_set(randn([64, 4], seed: 1), map(fn(i) = i % 2, range(64)))\n"
            "evaluate(seq(linear(4, 2)), fs)")
    reply, messages = run_cell(client, code)
    data = of_type(messages, "execute_result")[0]["data"] if of_type(messages, "execute_result") else {}
    check("<th>true \\ predicted</th>" in data.get("text/html", ""), f"evaluation with its confusion matrix: {data}")


def test_interrupts(kernel, client):
    # By message (interrupt_request on the control channel) while a loop runs.
    msg_id = client.execute("let n = 0\nwhile true { n = n + 1 }")
    time.sleep(1.0)
    interrupt = request(client, "control_channel", "interrupt_request", {})
    check(reply_to(client, "control_channel", interrupt)["content"]["status"] == "ok", "interrupt_reply")
    reply = reply_to(client, "shell_channel", msg_id)
    check(reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted", f"interrupted loop: {reply['content']}")

    # By SIGINT (the kernelspec's interrupt mode) during training: fit stops after the current batch
    # and the cell carries on.
    code = ("let fs = feature_set(randn([4096, 4], seed: 1), map(fn(i) = i % 2, range(4096)))\n"
            "let model = seq(linear(4, 8), relu(), linear(8, 2))\n"
            "let h = fit(model, fs, epochs: 1000000, batch_size: 8)\n"
            'print("fit ended after", h.epochs, "epochs")')
    msg_id = client.execute(code)
    text = ""
    deadline = time.time() + TIMEOUT
    while "Epoch 1/1000000" not in text and time.time() < deadline:
        message = client.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "stream":
            text += message["content"]["text"]
    kernel.interrupt_kernel()
    reply = reply_to(client, "shell_channel", msg_id)
    while True:
        message = client.get_iopub_msg(timeout=TIMEOUT)
        if message["parent_header"].get("msg_id") != msg_id:
            continue
        if message["msg_type"] == "stream":
            text += message["content"]["text"]
        if message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
            break
    check(reply["content"]["status"] == "ok", f"interrupted fit lets the cell finish: {reply['content']}")
    check("keeping the model as it is" in text and "fit ended after" in text, f"fit stopped after a batch: {text[-400:]}")
    reply, _ = run_cell(client, "1 + 1")
    check(reply["status"] == "ok", "the kernel runs code after interrupts")


def test_hostile_messages(kernel, client):
    """Wrong signatures, garbage frames and bad JSON are dropped; the kernel keeps answering."""
    context = zmq.Context.instance()
    socket = context.socket(zmq.DEALER)
    socket.connect(f"{kernel.transport}://{kernel.ip}:{kernel.shell_port}")
    header = json.dumps({"msg_id": "evil", "msg_type": "execute_request", "session": "x", "username": "x",
                         "date": "2026-01-01T00:00:00Z", "version": "5.3"}).encode()
    content = json.dumps({"code": 'print("should never run")', "silent": False}).encode()
    socket.send_multipart([b"<IDS|MSG>", b"0" * 64, header, b"{}", b"{}", content])
    socket.send_multipart([b"garbage"])
    socket.send_multipart([b"<IDS|MSG>", b"short"])
    good = client.session.sign([b"not json", b"{}", b"{}", b"{}"])
    socket.send_multipart([b"<IDS|MSG>", good, b"not json", b"{}", b"{}", b"{}"])
    socket.send_multipart([b"<IDS|MSG>", b""] + [b"x"] * 2000)
    time.sleep(1.0)
    check(socket.poll(200) == 0, "no reply to rejected messages")
    # A correctly signed message answered once; the same frames sent again are a replay.
    captured = client.session.msg("kernel_info_request", {})
    client.session.send(socket, captured)
    check(socket.poll(5000) != 0 and b"kernel_info_reply" in b"".join(socket.recv_multipart()), "a signed raw message is answered")
    client.session.send(socket, captured)
    check(socket.poll(1000) == 0, "a replayed message is not answered")
    socket.close(linger=0)
    reply, messages = run_cell(client, "40 + 2")
    check(reply["status"] == "ok" and of_type(messages, "execute_result")[0]["data"]["text/plain"] == "42",
          "kernel alive after hostile messages")
    check(kernel.is_alive(), "kernel process alive")


def test_restart_and_shutdown(kernel, client, log_path, workdir):
    run_cell(client, "let before = 1")
    pid = kernel.provisioner.process.pid
    kernel.restart_kernel(now=False)
    client.wait_for_ready(timeout=TIMEOUT)
    check(kernel.provisioner.process.pid != pid, "restart starts a new process")
    reply, _ = run_cell(client, "before")
    check(reply["status"] == "error" and reply["ename"] == "NameError", f"restart forgets variables: {reply}")
    reply, messages = run_cell(client, 'plot_bar({"x": 3}, title: "After restart")')
    check(of_type(messages, "display_data"), "plots after restart")
    process = kernel.provisioner.process
    kernel.shutdown_kernel(now=False)
    check(process.poll() == 0, f"clean exit on shutdown_request: {process.poll()}")
    log = Path(log_path).read_text()
    rejected = [line for line in log.splitlines() if "rejected a message on shell" in line]
    print("kernel log:", *rejected, sep="\n  ")
    check(len(rejected) == 6 and "bad signature" in rejected[0] and "replayed" in rejected[-1],
          f"every rejected message is logged: {log[-800:]}")
    runs = [p for p in (workdir / "runs").glob("notebook-*") if (p / "run.json").exists()]
    check(runs and any((p / "plots").exists() for p in runs), f"the run folder is written: {runs}")
    records = [json.loads((p / "run.json").read_text()) for p in runs]
    check(any(r.get("outcome") == "completed" for r in records), f"run.json outcome: {records}")


def test_sigterm(workdir):
    """SIGTERM ends the kernel like a terminated script: exit 143, run.json says "terminated"."""
    folder = workdir / "sigterm"
    folder.mkdir()
    kernel = KernelManager(kernel_name="serscript")
    kernel.start_kernel(cwd=str(folder))
    client = kernel.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=TIMEOUT)
        run_cell(client, 'plot_bar({"x": 1}, title: "Before SIGTERM")')
        process = kernel.provisioner.process
        process.terminate()
        check(process.wait(timeout=TIMEOUT) == 143, f"exit status after SIGTERM: {process.returncode}")
    finally:
        client.stop_channels()
    records = [json.loads(p.read_text()) for p in folder.glob("runs/notebook-*/run.json")]
    check(len(records) == 1 and records[0].get("outcome") == "terminated", f"run.json after SIGTERM: {records}")


def test_notebook(serscript, corpus, workdir):
    notebook_path = workdir / "explore_corpus.ipynb"
    converted = subprocess.run([serscript, "notebook", str(REPO_ROOT / "examples/explore_corpus.sers"), "-o", str(notebook_path)],
                               capture_output=True, text=True)
    check(converted.returncode == 0, f"notebook conversion: {converted.stderr}")
    notebook = nbformat.read(str(notebook_path), as_version=4)
    nbformat.validate(notebook)
    # Parameters set the way papermill does, by editing the first code cell.
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    first.source = first.source.replace('"data/demo"', json.dumps(str(corpus))).replace("copies = 2", "copies = 1")
    notebook.cells.append(nbformat.v4.new_code_cell("ds"))
    notebook.cells.append(nbformat.v4.new_code_cell("ds.no_such_method()"))
    NotebookClient(notebook, kernel_name="serscript", timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    check(any("image/svg+xml" in output.get("data", {}) for output in outputs), "an SVG plot in the notebook")
    table = notebook.cells[-2].outputs
    check(table and "<table>" in table[0]["data"].get("text/html", ""), f"a table cell: {table}")
    error = notebook.cells[-1].outputs
    check(error and error[0]["output_type"] == "error" and "no_such_method" in error[0]["evalue"], f"an error cell: {error}")
    check(any("FeatureSet(" in output.get("text", "") for output in outputs), "printed output arrives as streams")
    nbformat.write(notebook, str(workdir / "executed.ipynb"))
    print("notebook outputs:", *sorted({output["output_type"] + ":" + ",".join(output.get("data", {})) for output in outputs}), sep="\n  ")
    back = subprocess.run([serscript, "notebook", str(workdir / "executed.ipynb"), "--to", "sers", "-o", str(workdir / "back.sers")],
                          capture_output=True, text=True)
    check(back.returncode == 0 and "let ds = corpus" in (workdir / "back.sers").read_text(), f"executed notebook back to sers: {back.stderr}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--serscript", required=True)
    args = parser.parse_args()
    serscript = str(Path(args.serscript).resolve())
    with tempfile.TemporaryDirectory(prefix="serscript-jupyter-") as temp:
        temp = Path(temp)
        test_kernelspec(serscript, temp / "prefix")
        os.environ["JUPYTER_PATH"] = str(temp / "prefix/share/jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = str(temp / "runtime")
        corpus = temp / "corpus"
        made = subprocess.run([serscript, "demo-corpus", str(corpus), "--speakers", "2", "--seed", "5"], capture_output=True, text=True)
        check(made.returncode == 0, f"demo corpus: {made.stderr}")
        workdir = temp / "work"
        workdir.mkdir()
        log_path = temp / "kernel.log"
        with open(log_path, "w") as log:
            kernel = KernelManager(kernel_name="serscript")
            kernel.start_kernel(cwd=str(workdir), stderr=log)
            client = kernel.blocking_client()
            client.start_channels()
            try:
                client.wait_for_ready(timeout=TIMEOUT)
                for test in (lambda: test_messages(client), lambda: test_rich_output(client, corpus),
                             lambda: test_interrupts(kernel, client), lambda: test_hostile_messages(kernel, client),
                             lambda: test_restart_and_shutdown(kernel, client, log_path, workdir)):
                    try:
                        test()
                    except Exception:
                        check(False, traceback.format_exc())
            finally:
                client.stop_channels()
                if kernel.is_alive():
                    kernel.shutdown_kernel(now=True)
        for test in (lambda: test_sigterm(workdir), lambda: test_notebook(serscript, corpus, workdir)):
            try:
                test()
            except Exception:
                check(False, traceback.format_exc())
    if check.failures:
        print(f"{len(check.failures)} check(s) failed")
        sys.exit(1)
    print(f"all {check.count} Jupyter checks passed")


if __name__ == "__main__":
    main()
