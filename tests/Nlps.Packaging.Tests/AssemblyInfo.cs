// Debian packages, systemd units and dpkg exist on Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
