#!/usr/bin/env bats
# HTTPS for real: the generated mirror served over TLS by tests/lib/mirror.py
# with certificates from a test CA made here (tests/lib/tls.bash). A
# verified connection works with the CA given the ways curl users give it
# (SSL_CERT_FILE, CURL_CA_BUNDLE, the config key ca_file); a certificate
# from another CA, a self-signed one, or one for another name is refused
# with an error that says the certificate could not be verified; a
# redirect from https to http is refused.

load ../lib/common
load ../lib/install
load ../lib/tls

setup_file() {
    setup_mirror
    PKI=$BATS_FILE_TMPDIR/pki
    export PKI
    make_test_pki "$PKI"
    start_tls_mirror TLS "$PKI/server.pem" "$PKI/server.key"
    start_tls_mirror SELF "$PKI/self.pem" "$PKI/self.key"
}

teardown_file() {
    stop_tls_mirrors
    teardown_mirror
}

setup() {
    fresh_home
    fast_env
    # The machine's own CA settings must not decide these tests.
    unset SSL_CERT_FILE CURL_CA_BUNDLE SSL_CERT_DIR
    export NODUS_MIRROR=$TLS_URL
    mkdir -p "$NODUS_HOME/versions"
    snapshot_versions
    : >"$TLS_LOG"
    : >"$SELF_LOG"
}

installed_ok() {
    assert_no_partial
    assert_no_staging
    [ "$("$NODUS_HOME/versions/v22.11.0/bin/node" -v)" = v22.11.0 ]
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0)" ]
    [ "$(meta_value v22.11.0 url)" = "$TLS_URL$(tarball_path v22.11.0)" ]
    [ "$(grep -c "^GET $(tarball_path v22.11.0) 200 " "$TLS_LOG")" -eq 1 ]
}

# not_verified [URL]: the install failed because the certificate could not
# be verified, before any request was made, and changed nothing.
not_verified() {
    expect_error 4 "cannot download ${1:-$TLS_URL}/index.json: the mirror's TLS certificate could not be verified \(.*\); set ca_file in the config, or SSL_CERT_FILE, to the CA bundle that signed it"
    [ -z "$output" ]
    assert_clean_failure
    [ ! -e "$XDG_CACHE_HOME/nodus/index.json" ]
}

# ------------------------------------------------------------- verified

@test "the test CA in SSL_CERT_FILE: a verified install over https" {
    SSL_CERT_FILE=$PKI/ca.pem run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
    # Every request went over TLS, none to the plain server.
    [ "$(requests_matching .)" -eq 0 ]
}

@test "the test CA in CURL_CA_BUNDLE: the same" {
    CURL_CA_BUNDLE=$PKI/ca.pem run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
}

@test "the test CA in the config (nodus config set ca_file): the same, for ls-remote too" {
    run --separate-stderr nodus config set ca_file "$PKI/ca.pem"
    [ "$status" -eq 0 ]
    run --separate-stderr nodus ls-remote 22.11
    [ "$status" -eq 0 ]
    [[ ${lines[0]} == v22.11.0* ]]
    run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
}

@test "SSL_CERT_FILE wins over the config's ca_file" {
    nodus config set ca_file "$PKI/other-ca.pem"
    SSL_CERT_FILE=$PKI/ca.pem run --separate-stderr nodus install 22.11.0
    [ "$status" -eq 0 ]
    installed_ok
}

# -------------------------------------------------------------- refused

@test "no CA given (the system's bundle does not hold the test CA): refused, the error says why and what to set" {
    run --separate-stderr nodus install 22.11.0
    not_verified
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == *"unable to get local issuer certificate"* ]]
}

@test "the wrong CA (one that did not sign the server's certificate): refused" {
    SSL_CERT_FILE=$PKI/other-ca.pem run --separate-stderr nodus install 22.11.0
    not_verified
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == *"(now: $PKI/other-ca.pem)"* ]]
    nodus config set ca_file "$PKI/other-ca.pem"
    run --separate-stderr nodus install 22.11.0
    not_verified
}

@test "a self-signed server certificate: refused, even with the test CA trusted" {
    SSL_CERT_FILE=$PKI/ca.pem NODUS_MIRROR=$SELF_URL run --separate-stderr nodus install 22.11.0
    not_verified "$SELF_URL"
    [[ ${stderr_lines[${#stderr_lines[@]} - 1]} == *"self"*"signed certificate"* ]]
    [ ! -s "$SELF_LOG" ]
}

@test "a certificate for another name (https://localhost, a certificate for 127.0.0.1 only): refused" {
    getent hosts localhost >/dev/null || skip "localhost does not resolve here"
    local url=https://localhost:$TLS_PORT
    SSL_CERT_FILE=$PKI/ca.pem NODUS_MIRROR=$url run --separate-stderr nodus install 22.11.0
    # Either curl connects and the name does not match, or localhost is
    # only ::1 here and the connection itself fails: both are refusals.
    [ "$status" -eq 4 ]
    local last=${stderr_lines[${#stderr_lines[@]} - 1]}
    [[ $last == "nodus: cannot download $url/index.json: "* ]]
    [[ $last == *"could not be verified"*"the certificate is for another host name"* ||
        $last == *"connect"* ]]
    [ ! -s "$TLS_LOG" ]
    assert_clean_failure
}

@test "a CA bundle that cannot be read: the error names it" {
    SSL_CERT_FILE=$BATS_TEST_TMPDIR/no-such-ca.pem run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot read the CA bundle '$BATS_TEST_TMPDIR/no-such-ca.pem'.*ca_file.*SSL_CERT_FILE"
    assert_clean_failure
}

# ------------------------------------------------------------ redirects

@test "a redirect from https to http is refused; from https to https it is followed" {
    export SSL_CERT_FILE=$PKI/ca.pem
    local tb
    tb=$(tarball_path v22.11.0)
    set_faults "[{\"match\": \"*.tar.*\", \"fault\": \"redirect:$MIRROR_URL$tb\"}]"
    run --separate-stderr nodus install 22.11.0
    expect_error 4 "cannot download $TLS_URL$tb: the server redirected it away from https .*refuses to continue without TLS"
    assert_clean_failure
    [ "$(grep -c "^GET $tb 302 " "$TLS_LOG")" -eq 1 ]
    [ "$(requests_matching .)" -eq 0 ] # the plain server never saw the request

    # index.json too (a fresh cache, so it is fetched).
    set_faults "[{\"match\": \"/index.json\", \"fault\": \"redirect:$MIRROR_URL/index.json\"}]"
    rm -rf "$XDG_CACHE_HOME/nodus"
    run --separate-stderr nodus ls-remote
    expect_error 4 "cannot download $TLS_URL/index.json: the server redirected it away from https"
    [ "$(requests_matching .)" -eq 0 ]

    # To another https URL (here a path on the same server, which serves it).
    mkdir -p "$MIRROR_DIR/moved"
    cp "$MIRROR_DIR$tb" "$MIRROR_DIR/moved/"
    set_faults "[{\"match\": \"$tb\", \"fault\": \"redirect:$TLS_URL/moved/${tb##*/}\"}]"
    run --separate-stderr nodus install 22.11.0
    rm -rf "$MIRROR_DIR/moved"
    [ "$status" -eq 0 ]
    [ "$(grep -c "^GET /moved/${tb##*/} 200 " "$TLS_LOG")" -eq 1 ]
    assert_no_partial
    [ "$(meta_value v22.11.0 sha256)" = "$(mirror_sha256 v22.11.0)" ]
}
