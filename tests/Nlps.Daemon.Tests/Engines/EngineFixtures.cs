using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Nlps.Models.Engines;
using Nlps.Models.Engines.Processes;
using Nlps.Testing;

namespace Nlps.Daemon.Tests.Engines;

/// <summary>Commands, ports and state streams shared by the engine back-end tests.</summary>
internal static class EngineFixtures
{
    public static readonly TimeSpan Guard = TimeSpan.FromSeconds(90);

    /// <summary>A loopback port free right now (the OS picks it).</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary><c>nlpsd engine serve</c> on the built nlpsd, one kernel thread, serving the folder as <paramref name="name"/>.</summary>
    public static EngineCommand BuiltinEngine(string modelFolder, int port, string name = "tiny") =>
        new("dotnet", [RepositoryPaths.Nlpsd, "engine", "serve", "--model", modelFolder, "--port", port.ToString(CultureInfo.InvariantCulture), "--served-model-name", name, "--threads", "1"],
            new Dictionary<string, string>(), port);

    /// <summary><c>nlpsd engine serve</c> on <paramref name="port"/>, supervised and ready: the peer that plays a remote endpoint.</summary>
    public static async Task<EngineSupervisor> StartServerAsync(string modelFolder, int port, HttpClient http)
    {
        var server = new EngineSupervisor(
            "remote-peer", BuiltinEngine(modelFolder, port), new EngineProcessOptions { HealthPollInterval = TimeSpan.FromMilliseconds(100) },
            http, TimeProvider.System, NullLogger.Instance);
        await server.StartAsync(CancellationToken.None);
        return server;
    }

    /// <summary>A shell script as an engine command.</summary>
    public static EngineCommand Script(string script, int port) => new("/bin/sh", ["-c", script], new Dictionary<string, string>(), port);

    /// <summary>Every state change of every deployment on <paramref name="backend"/>, in order.</summary>
    public static ChannelReader<(string Deployment, EngineHealth Health)> Watch(ProcessEngineBackend backend)
    {
        var channel = Channel.CreateUnbounded<(string, EngineHealth)>();
        backend.HealthChanged += (deployment, health) => channel.Writer.TryWrite((deployment, health));
        return channel.Reader;
    }

    /// <summary>The changes up to the next one into one of <paramref name="states"/>, oldest first.</summary>
    public static async Task<List<EngineHealth>> UntilAsync(this ChannelReader<(string Deployment, EngineHealth Health)> changes, params EngineState[] states)
    {
        using var guard = new CancellationTokenSource(Guard);
        var seen = new List<EngineHealth>();
        while (true)
        {
            (_, EngineHealth health) = await changes.ReadAsync(guard.Token);
            seen.Add(health);
            if (states.Contains(health.State))
            {
                return seen;
            }
        }
    }

    /// <summary>
    /// Vectors equal within float rounding: an engine process runs one kernel thread and the test several, so sums may
    /// be split differently.
    /// </summary>
    public static void AssertVectorsClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"element {i}: {expected[i]} vs {actual[i]}");
        }
    }
}
