/*
 * Unix sockets' scope, from their files' permissions (unixfile.h) and their names, and the
 * built-in notes on well-known unix sockets.
 *
 * A note's risk is for the socket open to every user (world-writable, or abstract) while a
 * privileged process holds it: high where connecting is root in effect (container engines,
 * libvirt, systemd's manager), medium where it gives a user's session away (X11, agents),
 * none where it is open by design and authenticates its callers (D-Bus, journald, databases):
 * those are expected. Keep the specific patterns before the general ones: the first wins.
 */
#include <fnmatch.h>
#include <string.h>
#include <sys/socket.h>

#include "listen/escape.h"
#include "listen/sbuf.h"
#include "listen/sock.h"
#include "listen/unix_scope.h"
#include "listen/unixfile.h"

#define NONE SVC_RISK_NONE
#define LOW SVC_RISK_LOW
#define MED SVC_RISK_MEDIUM
#define HIGH SVC_RISK_HIGH

/* A note; E() one that is open by design. */
#define N(pat_, risk_, name_, desc_, note_)                                                  \
	{ .pattern = (pat_), .info = { .risk = (risk_), .name = (name_), .desc = (desc_),       \
				       .note = (note_) } }
#define E(pat_, name_, desc_)                                                                \
	{ .pattern = (pat_), .info = { .risk = NONE, .name = (name_), .desc = (desc_) },         \
	  .expected = true }

static const struct unix_note notes[] = {
	/* Container engines and virtualisation: whoever connects runs anything as root. */
	N("/run/docker.sock", HIGH, "docker", "Docker Engine API",
	  "root-equivalent: whoever connects controls the Docker daemon"),
	N("/var/run/docker.sock", HIGH, "docker", "Docker Engine API",
	  "root-equivalent: whoever connects controls the Docker daemon"),
	N("/run/containerd/containerd.sock", HIGH, "containerd", "containerd API",
	  "root-equivalent: whoever connects runs containers as root"),
	N("/run/containerd/containerd.sock.ttrpc", HIGH, "containerd", "containerd ttrpc API",
	  "root-equivalent: whoever connects runs containers as root"),
	N("/run/podman/podman.sock", HIGH, "podman", "Podman API (root)",
	  "root-equivalent: whoever connects runs containers as root"),
	N("/run/crio/crio.sock", HIGH, "cri-o", "CRI-O container runtime",
	  "root-equivalent: whoever connects runs containers as root"),
	N("/var/run/crio/crio.sock", HIGH, "cri-o", "CRI-O container runtime",
	  "root-equivalent: whoever connects runs containers as root"),
	N("/var/lib/kubelet/pod-resources/kubelet.sock", MED, "kubelet",
	  "kubelet pod resources API", "lists every pod's devices and resources"),
	N("/var/lib/kubelet/device-plugins/kubelet.sock", HIGH, "kubelet",
	  "kubelet device plugin registration", "a registered plugin hands devices to pods"),
	N("/var/snap/lxd/common/lxd/unix.socket", HIGH, "lxd", "LXD API",
	  "root-equivalent: whoever connects controls LXD"),
	N("/var/lib/lxd/unix.socket", HIGH, "lxd", "LXD API",
	  "root-equivalent: whoever connects controls LXD"),
	N("/var/lib/incus/unix.socket", HIGH, "incus", "Incus API",
	  "root-equivalent: whoever connects controls Incus"),
	N("/run/libvirt/libvirt-sock-ro", LOW, "libvirt", "libvirt, read-only",
	  "reads every domain's configuration"),
	N("/run/libvirt/*-sock-ro", LOW, "libvirt", "libvirt, read-only",
	  "reads every domain's configuration"),
	N("/run/libvirt/libvirt-admin-sock", HIGH, "libvirt", "libvirt administration",
	  "root-equivalent: controls the libvirt daemon"),
	N("/run/libvirt/*", HIGH, "libvirt", "libvirt",
	  "root-equivalent: whoever connects defines VMs with host devices and files"),
	N("/var/run/libvirt/*", HIGH, "libvirt", "libvirt",
	  "root-equivalent: whoever connects defines VMs with host devices and files"),
	/* systemd: its manager's private bus and udev's control are root's alone. */
	N("/run/systemd/private", HIGH, "systemd", "systemd manager's private bus",
	  "controls the service manager: root's alone"),
	N("/run/udev/control", HIGH, "udev", "udev control", "controls udev: root's alone"),
	E("/run/systemd/notify", "systemd-notify", "systemd's service notifications"),
	E("/run/systemd/journal/*", "journald", "systemd journal"),
	E("/dev/log", "journald", "syslog socket (systemd journal)"),
	E("/run/systemd/userdb/*", "userdb", "systemd user and group records (varlink)"),
	E("/run/systemd/io.systemd.*", "systemd", "systemd varlink service"),
	E("/run/systemd/resolve/*", "resolved", "systemd-resolved"),
	E("/run/systemd/*", "systemd", "systemd"),
	/* D-Bus: open by design, each call checked by policy and polkit. */
	E("/run/dbus/system_bus_socket", "dbus-system", "D-Bus system bus"),
	E("/var/run/dbus/system_bus_socket", "dbus-system", "D-Bus system bus"),
	E("/run/user/*/bus", "dbus-session", "D-Bus session bus"),
	E("@/tmp/dbus-*", "dbus-session", "D-Bus session bus"),
	/* Desktop sessions: whoever connects sees or drives the user's session. */
	N("/tmp/.X11-unix/X*", MED, "x11", "X11 display server",
	  "screen access and keystroke capture"),
	N("@/tmp/.X11-unix/X*", MED, "x11", "X11 display server (abstract)",
	  "screen access and keystroke capture; no file permissions, only X authority"),
	N("/run/user/*/wayland-*", MED, "wayland", "Wayland compositor",
	  "screen access and input of the session"),
	N("/tmp/ssh-*/agent.*", MED, "ssh-agent", "OpenSSH agent",
	  "signs with the user's SSH keys for whoever connects"),
	N("/run/user/*/ssh-agent*", MED, "ssh-agent", "OpenSSH agent",
	  "signs with the user's SSH keys for whoever connects"),
	N("/run/user/*/gnupg/S.gpg-agent*", MED, "gpg-agent", "GnuPG agent",
	  "uses the user's private keys for whoever connects"),
	N("/run/user/*/pulse/native", LOW, "pulseaudio", "PulseAudio", "microphone access"),
	N("/run/user/*/pipewire-*", LOW, "pipewire", "PipeWire", "microphone and screen access"),
	/* Daemons that authenticate their callers. */
	E("/run/snapd.socket", "snapd", "snapd API (polkit-checked)"),
	E("/run/snapd-snap.socket", "snapd", "snapd API for snaps"),
	E("/run/mysqld/mysqld.sock", "mysql", "MySQL/MariaDB server"),
	E("/var/run/mysqld/mysqld.sock", "mysql", "MySQL/MariaDB server"),
	E("/run/postgresql/.s.PGSQL.*", "postgresql", "PostgreSQL server"),
	E("/var/run/postgresql/.s.PGSQL.*", "postgresql", "PostgreSQL server"),
	E("/run/avahi-daemon/socket", "avahi", "Avahi mDNS daemon"),
	E("/run/cups/cups.sock", "cups", "CUPS printing"),
	E("/run/nscd/socket", "nscd", "name service cache"),
	E("/run/polkit/*", "polkit", "polkit"),
	N("/run/containerd/s/*", HIGH, "containerd-shim", "containerd shim",
	  "root-equivalent: controls a container's processes"),
};

const struct unix_note *unix_note_builtin(size_t *n)
{
	*n = sizeof(notes) / sizeof(notes[0]);
	return notes;
}

const struct unix_note *unix_note_find(const struct lsock *sk)
{
	char name[256];
	size_t len = sk->un.name_len;

	if (sk->family != AF_UNIX || !(sk->un.flags & LSOCK_UNIX_NAME) || !len ||
	    len >= sizeof(name))
		return NULL;
	memcpy(name, sk->un.name, len);
	name[len] = '\0';
	if (name[0] == '\0')
		name[0] = '@'; /* abstract: compared as ss writes it */
	if (strlen(name) != len)
		return NULL; /* a NUL inside an abstract name: no note names one */
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if ((notes[i].pattern[0] == '@') == (name[0] == '@') &&
		    fnmatch(notes[i].pattern, name, FNM_PATHNAME | FNM_PERIOD) == 0)
			return &notes[i];
	return NULL;
}

bool unix_group_root_equivalent(const char *group)
{
	static const char *const groups[] = { "root",	"docker", "lxd",  "incus-admin",
					      "libvirt", "disk",   "kvm-admin" };

	for (size_t i = 0; group && i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(group, groups[i]) == 0)
			return true;
	return false;
}

enum unix_scope unix_scope_of(const struct lsock *sk, const struct unixfile *f)
{
	if (sk->family != AF_UNIX || !(sk->un.flags & LSOCK_UNIX_NAME) || !sk->un.name_len)
		return UNIX_SCOPE_NONE;
	if (lsock_unix_abstract(sk))
		return UNIX_SCOPE_ABSTRACT;
	if (!f || f->status == UNIXFILE_UNCHECKED)
		return UNIX_SCOPE_NONE;
	if (f->status != UNIXFILE_OK)
		return UNIX_SCOPE_UNCHECKED;
	if (f->reach & UNIXFILE_OTHERS)
		return UNIX_SCOPE_WORLD;
	if (f->reach & UNIXFILE_GROUP)
		return UNIX_SCOPE_GROUP;
	if (f->reach & UNIXFILE_OWNER)
		return UNIX_SCOPE_OWNER;
	return UNIX_SCOPE_ROOT;
}

bool unix_scope_open(enum unix_scope s)
{
	return s == UNIX_SCOPE_ABSTRACT || s == UNIX_SCOPE_WORLD;
}

const char *unix_scope_key(enum unix_scope s)
{
	static const char *const keys[] = {
		[UNIX_SCOPE_NONE] = NULL,	   [UNIX_SCOPE_ABSTRACT] = "abstract",
		[UNIX_SCOPE_WORLD] = "world",	   [UNIX_SCOPE_GROUP] = "group",
		[UNIX_SCOPE_OWNER] = "owner",	   [UNIX_SCOPE_ROOT] = "root",
		[UNIX_SCOPE_UNCHECKED] = "unchecked",
	};

	return keys[s];
}

void unix_scope_why(struct sbuf *b, const struct unixfile *f)
{
	switch (f->status) {
	case UNIXFILE_NO_VFS:
		sbuf_puts(b, "the kernel gave no file identity (/proc/net/unix)");
		break;
	case UNIXFILE_RELATIVE:
		sbuf_puts(b, "bound to a relative path");
		break;
	case UNIXFILE_GONE:
		sbuf_puts(b, "file gone: removed, or in another mount namespace");
		break;
	case UNIXFILE_REPLACED:
		sbuf_puts(b, "another file at the path: replaced, or in another mount namespace");
		break;
	case UNIXFILE_DENIED:
	case UNIXFILE_ERROR:
		sbuf_puts(b, strerror(-f->err));
		break;
	case UNIXFILE_LINK:
		sbuf_printf(b, "a symbolic link of uid %u on the path, not followed as root",
			    f->link_uid);
		break;
	default:
		return;
	}
	if (f->roots_refused)
		sbuf_puts(b, "; a holder's mount namespace could not be looked in");
}

void unix_scope_text(struct sbuf *b, enum unix_scope s, const struct unixfile *f,
		     const char *netns)
{
	switch (s) {
	case UNIX_SCOPE_NONE:
		return;
	case UNIX_SCOPE_ABSTRACT:
		sbuf_puts(b, "abstract: any process in netns");
		if (netns) {
			sbuf_putc(b, ' ');
			esc_term(b, netns, strlen(netns));
		}
		return;
	case UNIX_SCOPE_WORLD:
		sbuf_puts(b, "world-writable");
		break;
	case UNIX_SCOPE_GROUP:
		if (f->group) {
			sbuf_puts(b, "group ");
			esc_term(b, f->group, strlen(f->group));
		} else {
			sbuf_printf(b, "group %u", f->gid);
		}
		break;
	case UNIX_SCOPE_OWNER:
		sbuf_puts(b, "owner only");
		break;
	case UNIX_SCOPE_ROOT:
		sbuf_puts(b, "not reachable");
		break;
	case UNIX_SCOPE_UNCHECKED:
		sbuf_puts(b, "not checked: ");
		unix_scope_why(b, f);
		return;
	}
	if (f->via_root)
		sbuf_printf(b, " (mount ns of pid %u)", f->root_pid);
}
