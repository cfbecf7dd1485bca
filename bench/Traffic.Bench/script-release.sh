#!/usr/bin/env bash
# The baseline of bench/Traffic.Bench: a release of PHP-FPM behind nginx done the way the seed did it with the docker
# CLI, one replica after another: start the new version on a new port, wait until it accepts connections, rewrite
# nginx's upstream (new port in, old port out in one file), check it and reload nginx, wait a fixed drain, stop the
# old replica (SIGQUIT, the image's stop signal) and remove it.
#
# Usage: script-release.sh STATE IMAGE DRAIN_SECONDS NGINX_ENDPOINT NGINX_CONTAINER PORT_FIRST PORT_LAST LABEL
#   STATE      one line per replica, "ENDPOINT CONTAINER PORT" ("ENDPOINT - -" for one not started yet); rewritten
#              after each replica is replaced, so the next release knows what runs.
#   IMAGE      the version to run, e.g. 127.0.0.1:5055/lab/php-fpm:2
#   LABEL      a label (key=value) put on every container, so the caller can remove them
set -euo pipefail
state=$1 image=$2 drain=$3 nginx_endpoint=$4 nginx=$5 first=$6 last=$7 label=$8
upstream_file=/etc/nginx/conf.d/upstream-fpm.conf

mapfile -t replicas <"${state}"

in_use() {
    local line
    for line in "${replicas[@]}"; do [[ "${line##* }" == "$1" ]] && return 0; done
    return 1
}

free_port() {
    local port
    for ((port = first; port <= last; port++)); do in_use "${port}" || { echo "${port}"; return 0; }; done
    echo "no free port in ${first}-${last}" >&2
    return 1
}

upstream() {
    local line
    echo "upstream fpm {"
    for line in "${replicas[@]}"; do [[ "${line##* }" != - ]] && echo "    server 127.0.0.1:${line##* };"; done
    echo "}"
}

# Up: php-fpm accepts connections on its port (checked from the host: the cheapest check a script can make).
wait_up() {
    local port=$1 until=$((SECONDS + 60))
    until (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; do
        ((SECONDS < until)) || { echo "nothing listens on ${port} after 60 s" >&2; return 1; }
        sleep 0.1
    done
}

for i in "${!replicas[@]}"; do
    read -r endpoint old _ <<<"${replicas[i]}"
    port="$(free_port)"
    new="$(docker -H "${endpoint}" run -d --network host -e "PORT=${port}" --label "${label}" --stop-timeout 30 "${image}")"
    wait_up "${port}"
    replicas[i]="${endpoint} ${new} ${port}"
    upstream | docker -H "${nginx_endpoint}" exec -i "${nginx}" sh -c "cat >${upstream_file} && nginx -t -q && nginx -s reload"
    if [[ "${old}" != - ]]; then
        sleep "${drain}"
        docker -H "${endpoint}" stop "${old}" >/dev/null
        docker -H "${endpoint}" rm "${old}" >/dev/null
    fi
    printf '%s\n' "${replicas[@]}" >"${state}"
done
