# Helpers for the end-to-end tests that run larchd, sourced after tap.sh;
# $tests is this folder.  LARCH_DAEMON_WRAPPER (e.g. valgrind) is a command
# prefix the tests run larchd under.

# skip_unless_built DESCRIPTION FILE...: the whole script is one skipped
# test when a program it needs is not built.
skip_unless_built() {
	local what=$1 f
	shift
	for f in "$@"; do
		[ -x "$f" ] && continue
		skip "$what" "$(basename "$f") is not built yet"
		done_testing
		exit
	done
}

# How many tenths of a second to wait for larchd: under a wrapper it
# starts and answers far slower.
larchd_tries() {
	if [ -n "${LARCH_DAEMON_WRAPPER:-}" ]; then echo 600; else echo 100; fi
}

# wait_greeting ADDR PID LOG: waits until larchd at ADDR greets (200) while
# PID lives; otherwise shows LOG as TAP diagnostics and returns 1.
wait_greeting() {
	local addr=$1 pid=$2 log=$3
	for _ in $(seq "$(larchd_tries)"); do
		[ "$(python3 "$tests/larchc.py" "$addr" --codes 2>/dev/null)" = 200 ] &&
			return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	echo "# larchd did not come up; its log:"
	sed 's/^/#   /' "$log"
	return 1
}

# wait_exit PID [TRIES]: waits (TRIES tenths of a second, 100 by default)
# for the child PID to end; $exited is its exit status, or "timeout".
wait_exit() {
	local pid=$1
	exited=timeout
	for _ in $(seq "${2:-100}"); do
		if ! kill -0 "$pid" 2>/dev/null; then
			wait "$pid"
			exited=$?
			return
		fi
		sleep 0.1
	done
}
