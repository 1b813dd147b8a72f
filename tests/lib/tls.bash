# shellcheck shell=bash
# HTTPS for the end-to-end tests: a throwaway PKI made with the openssl CLI,
# and tests/lib/mirror.py serving the same mirror directory over TLS.  Load
# after common (and after setup_mirror has made MIRROR_DIR):
#
#   load ../lib/common
#   load ../lib/tls
#
# make_test_pki DIR   writes into DIR (EC P-256 keys, valid for two days):
#     ca.pem ca.key           the test CA
#     server.pem server.key   CN and subjectAltName IP:127.0.0.1 (no DNS name,
#                             so https://localhost:PORT is a name mismatch),
#                             signed by the CA
#     other-ca.pem            an unrelated CA (the "wrong CA")
#     self.pem self.key       a self-signed certificate for IP:127.0.0.1
# start_tls_mirror NAME CERT KEY
#     starts mirror.py --tls-cert CERT --tls-key KEY on $MIRROR_DIR and
#     exports NAME_URL (https://127.0.0.1:PORT), NAME_PORT, NAME_LOG, NAME_PID
# stop_tls_mirrors    stops every server start_tls_mirror started

_tls_openssl() {
    openssl "$@" 2>"$BATS_FILE_TMPDIR/openssl.err" || {
        cat "$BATS_FILE_TMPDIR/openssl.err" >&2
        return 1
    }
}

# _tls_cert DIR NAME SUBJECT [CA-NAME]: a key and a certificate for
# 127.0.0.1, signed by CA-NAME (self-signed without one).
_tls_cert() {
    local dir=$1 name=$2 subj=$3 ca=${4:-} ext=$1/$2.ext
    printf '%s\n' 'basicConstraints=critical,CA:FALSE' 'keyUsage=critical,digitalSignature' \
        'extendedKeyUsage=serverAuth' 'subjectAltName=IP:127.0.0.1' >"$ext"
    if [ -z "$ca" ]; then
        _tls_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
            -subj "$subj" -keyout "$dir/$name.key" -out "$dir/$name.pem" \
            -addext 'subjectAltName=IP:127.0.0.1' -addext 'basicConstraints=critical,CA:FALSE'
        return
    fi
    _tls_openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -subj "$subj" -keyout "$dir/$name.key" -out "$dir/$name.csr" &&
        _tls_openssl x509 -req -in "$dir/$name.csr" -CA "$dir/$ca.pem" -CAkey "$dir/$ca.key" \
            -set_serial "0x$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" -days 2 \
            -extfile "$ext" -out "$dir/$name.pem"
}

_tls_ca() {
    local dir=$1 name=$2 subj=$3
    _tls_openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj "$subj" -keyout "$dir/$name.key" -out "$dir/$name.pem" \
        -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
}

make_test_pki() {
    local dir=$1
    mkdir -p "$dir"
    _tls_ca "$dir" ca '/CN=nodus test CA' &&
        _tls_ca "$dir" other-ca '/CN=nodus unrelated CA' &&
        _tls_cert "$dir" server '/CN=127.0.0.1' ca &&
        _tls_cert "$dir" self '/CN=127.0.0.1'
}

start_tls_mirror() {
    local name=$1 cert=$2 key=$3 port_file log err pid i port
    port_file=$BATS_FILE_TMPDIR/$name.port
    log=$BATS_FILE_TMPDIR/$name.log
    err=$BATS_FILE_TMPDIR/$name.stderr
    rm -f "$port_file"
    : >"$log"
    python3 "$NODUS_TESTS_LIB/mirror.py" --root "$MIRROR_DIR" --port-file "$port_file" --log "$log" \
        --exit-with-pid "$$" --tls-cert "$cert" --tls-key "$key" </dev/null >"$err" 2>&1 3>&- &
    pid=$!
    for ((i = 0; i < 100; i++)); do
        [ -s "$port_file" ] && break
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "start_tls_mirror: mirror.py exited:" >&2
            cat "$err" >&2
            return 1
        fi
        sleep 0.1
    done
    if [ ! -s "$port_file" ]; then
        echo "start_tls_mirror: no port file after 10 s" >&2
        kill "$pid" 2>/dev/null
        return 1
    fi
    port=$(cat "$port_file")
    echo "$pid" >>"$BATS_FILE_TMPDIR/tls-mirror.pids"
    printf -v "${name}_URL" 'https://127.0.0.1:%s' "$port"
    printf -v "${name}_PORT" '%s' "$port"
    printf -v "${name}_LOG" '%s' "$log"
    printf -v "${name}_PID" '%s' "$pid"
    export "${name}_URL" "${name}_PORT" "${name}_LOG" "${name}_PID"
}

stop_tls_mirrors() {
    local pid i pids=$BATS_FILE_TMPDIR/tls-mirror.pids
    [ -f "$pids" ] || return 0
    while read -r pid; do
        kill -TERM "$pid" 2>/dev/null || continue
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done <"$pids"
    rm -f "$pids"
}
