#!/bin/sh
# redis_server.sh start|stop DIR NAME: a redis-server of the tests, on a free
# loopback port, with no persistence. `start` writes DIR/NAME.port and
# DIR/NAME.conf (the command line, for a test that kills and restarts the
# server) and exits 77 when redis-server is not installed; `stop` ends the
# server whose pid is in DIR/NAME.pid and removes its files.
set -eu
cmd=$1 dir=$2 name=$3
case $cmd in
start)
    command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not installed"; exit 77; }
    mkdir -p "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # A config file, so that a restart gets the same settings.
    cat > "$dir/$name.conf" <<CONF
port $port
bind 127.0.0.1
save ""
appendonly no
daemonize yes
pidfile $dir/$name.pid
logfile $dir/$name.log
dir $dir
CONF
    redis-server "$dir/$name.conf"
    i=0
    until redis-cli -p "$port" ping >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -lt 100 ] || { echo "redis-server did not answer on port $port"; cat "$dir/$name.log"; exit 1; }
        sleep 0.05
    done
    echo "$port" > "$dir/$name.port"
    echo "redis-server $name on 127.0.0.1:$port"
    ;;
stop)
    if [ -f "$dir/$name.pid" ]; then
        kill "$(cat "$dir/$name.pid")" 2>/dev/null || true
    fi
    rm -f "$dir/$name.port" "$dir/$name.pid" "$dir/$name.conf" "$dir/$name.log"
    ;;
esac
