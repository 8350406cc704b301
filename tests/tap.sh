# A tiny TAP producer for the shell tests: is, like, ok, skip, done_testing.
_tap_n=0
_tap_failed=0

_tap_report() {	# status description [diagnostic...]
	_tap_n=$((_tap_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_failed=$((_tap_failed + 1))
		shift 2
		for d in "$@"; do echo "#   $d"; done
	fi
}

is() {		# got expected description
	[ "$1" = "$2" ]
	_tap_report $? "$3" "got:      '$1'" "expected: '$2'"
}

like() {	# got substring description
	case "$1" in *"$2"*) _tap_report 0 "$3" ;;
	*) _tap_report 1 "$3" "got:      '$1'" "expected to contain: '$2'" ;;
	esac
}

ok() {		# status description
	_tap_report "$1" "$2"
}

todo_is() {	# got expected description reason: a known difference
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3 # TODO $4"
		echo "#   got: '$1' expected: '$2'"
	fi
}

skip() {	# description reason
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_failed" = 0 ]
}
