#!/usr/bin/env python3
"""Write tests/data/ulp.nl: a capture (capture.h) of TCP and MPTCP sock_diag dumps built by
hand, for what the machines the fixtures come from cannot make: kTLS sockets (no tls module
there), an upper-layer protocol listen does not know and one with a hostile name, an MD5
attribute with a torn last key, an MPTCP subflow with every attribute (maplen as the kernel's
u16), and an MPTCP socket with the shorter mptcp_info of Linux 6.1 (48 bytes).
The kTLS sockets: TLS 1.2 aes-gcm-128 sw/sw (8443); TLS 1.3 chacha20-poly1305 with the NIC
(txconf hw, rxconf hw-record), zero-copy sendfile and no padding (8444: ss 6.1 names no such
cipher); a version and a txconf no one knows (8445).
Usage: tests/data/make-ulp.py [OUT]"""
import socket
import struct
import sys

AF_INET, AF_INET6 = 2, 10
IPPROTO_TCP = 6
SOCK_DIAG_BY_FAMILY, NLMSG_DONE, NLM_F_MULTI = 20, 3, 2
ESTAB, LISTEN = 1, 10
INFO, CONG, MD5SIG, ULP_INFO = 2, 4, 18, 19
ULP_NAME, ULP_TLS, ULP_MPTCP = 1, 2, 3
TLS_VERSION, TLS_CIPHER, TLS_TXCONF, TLS_RXCONF, TLS_ZC_RO_TX, TLS_RX_NO_PAD = 1, 2, 3, 4, 5, 6
(SF_TOKEN_REM, SF_TOKEN_LOC, SF_RELWRITE_SEQ, SF_MAP_SEQ, SF_MAP_SFSEQ, SF_SSN_OFFSET,
 SF_MAP_DATALEN, SF_FLAGS, SF_ID_REM, SF_ID_LOC) = range(1, 11)


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * (-n % 4)


def u16(v):
    return struct.pack("=H", v)


def u32(v):
    return struct.pack("=I", v)


def sock(state, sport, dport, inode, cookie, attrs, family=AF_INET, src="127.0.0.1",
         dst="127.0.0.1"):
    a = socket.inet_pton(family, src).ljust(16, b"\0")
    b = socket.inet_pton(family, dst).ljust(16, b"\0") if dport else b"\0" * 16
    msg = struct.pack("=BBBB", family, state, 0, 0) + struct.pack(">HH", sport, dport) + a + b
    msg += struct.pack("=IIIIIIII", 0, cookie, 0, 0, 0, 0, 0, inode)
    body = msg + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 1, 0) + body


def tls(*fields):
    return attr(ULP_INFO, attr(ULP_NAME, b"tls\0") + attr(ULP_TLS, b"".join(fields)))


def md5sig(family, prefix, addr, key):
    return struct.pack("=BBH", family, prefix, len(key)) + \
        socket.inet_pton(family, addr).ljust(16, b"\0") + key.ljust(80, b"\0")


TCP = [
    sock(ESTAB, 8443, 50001, 51001, 0x2001, [attr(CONG, b"cubic\0"), tls(
        attr(TLS_VERSION, u16(0x0303)), attr(TLS_CIPHER, u16(51)),
        attr(TLS_TXCONF, u16(2)), attr(TLS_RXCONF, u16(2)))]),
    sock(ESTAB, 8444, 50002, 51002, 0x2002, [tls(
        attr(TLS_VERSION, u16(0x0304)), attr(TLS_CIPHER, u16(54)),
        attr(TLS_TXCONF, u16(3)), attr(TLS_RXCONF, u16(4)), attr(TLS_ZC_RO_TX, b""),
        attr(TLS_RX_NO_PAD, b""))]),
    sock(ESTAB, 8445, 50003, 51003, 0x2003, [tls(
        attr(TLS_VERSION, u16(0x0302)), attr(TLS_TXCONF, u16(9)),
        attr(TLS_CIPHER, b"\x33"))]),  # a cipher of one byte: not a u16, not taken
    sock(LISTEN, 8446, 0, 51004, 0x2004, [attr(ULP_INFO, attr(ULP_NAME, b"espintcp\0"))]),
    sock(ESTAB, 8447, 50005, 51005, 0x2005,
         [attr(ULP_INFO, attr(ULP_NAME, b"x\x1b[31mred\n\0"))]),
    sock(LISTEN, 8448, 0, 51006, 0x2006, [attr(MD5SIG, md5sig(
        AF_INET6, 32, "2001:db8::", b"not-shown-secret") + b"\x02\x20\x04\0torn")],
        family=AF_INET6, src="::1", dst="::"),
    sock(ESTAB, 8449, 50009, 51009, 0x2009, [attr(ULP_INFO, attr(ULP_NAME, b"mptcp\0") + attr(
        ULP_MPTCP, attr(SF_FLAGS, u32(0x13c)) + attr(SF_TOKEN_REM, u32(0xabc)) +
        attr(SF_TOKEN_LOC, u32(0x1234abcd)) + attr(SF_ID_REM, b"\x02") +
        attr(SF_ID_LOC, b"\x01") + attr(SF_MAP_SEQ, struct.pack("=Q", 0x1122334455667788)) +
        attr(SF_MAP_SFSEQ, u32(0x10)) + attr(SF_SSN_OFFSET, u32(0xfeedf00d)) +
        attr(SF_MAP_DATALEN, u16(0x5b4)) + attr(SF_RELWRITE_SEQ, u32(7))))]),
]
# Linux 6.1's struct mptcp_info: 43 bytes of fields, 48 with its padding.
MPTCP_INFO = struct.pack("=BBBBBBxxIIQQQBBB5x", 1, 2, 0, 8, 0, 4, 3, 0xdeadbeef,
                         0x1122334455667788, 0x1122334455667700, 0x99, 1, 4, 1)
MPTCP = [sock(ESTAB, 8449, 50009, 51010, 0x2010, [attr(INFO, MPTCP_INFO)])]


def datagrams(msgs):
    return [b"".join(msgs), struct.pack("=IHHII", 20, NLMSG_DONE, NLM_F_MULTI, 1, 0) +
            struct.pack("=i", 0)]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/data/ulp.nl"
    with open(out, "wb") as f:
        f.write(b"LSNLCAP1")
        for source, msgs in ((0, TCP), (2, MPTCP)):
            for d in datagrams(msgs):
                f.write(struct.pack("=BBHI", AF_INET, IPPROTO_TCP, source, len(d)) + d)


main()
