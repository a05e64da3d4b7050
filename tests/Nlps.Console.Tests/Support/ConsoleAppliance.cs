using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Nlps.Testing;

namespace Nlps.Console.Tests.Support;

/// <summary>
/// A real nlpsd process on 127.0.0.1 with its own state folder, trusting the test vendor key and presenting the
/// recorded 4× L40S box as its hardware (so the console shows GPU bars and the SIMULATED badge).
/// </summary>
public sealed class ConsoleAppliance : IAsyncDisposable
{
    public const string Password = "올바른 비밀번호 123";

    private readonly TempFolder folder;
    private readonly SemaphoreSlim installGate = new(1, 1);
    private readonly HashSet<string> installed = new(StringComparer.Ordinal);

    private ConsoleAppliance(TempFolder folder, PackageFactory packages, NlpsdProcess process)
    {
        this.folder = folder;
        Packages = packages;
        Process = process;
    }

    public NlpsdProcess Process { get; }

    public PackageFactory Packages { get; }

    public Uri BaseAddress => Process.BaseAddress;

    public string OutputFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<ConsoleAppliance> StartAsync(params string[] arguments)
    {
        var folder = new TempFolder("nlps-console");
        var packages = new PackageFactory(folder.Path);
        return new ConsoleAppliance(folder, packages, await StartProcessAsync(folder, packages, arguments));
    }

    /// <summary>
    /// An appliance serving <paramref name="modelFolder"/> as deployment <paramref name="deployment"/> on the CPU engine:
    /// a first nlpsd imports the model into the store through the admin API, then a second one starts with the deployment
    /// configured (deployments are read at start, as on a real box).
    /// </summary>
    public static async Task<ConsoleAppliance> StartWithModelAsync(string modelFolder, string modelId, string deployment)
    {
        var folder = new TempFolder("nlps-console");
        var packages = new PackageFactory(folder.Path);
        await using (var importer = await StartProcessAsync(folder, packages, []))
        {
            using var admin = importer.CreateAdminClient();
            using var started = await admin.PostAsJsonAsync("/v1/admin/models/import", new { path = modelFolder, id = modelId });
            var job = await started.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
            while (job.GetProperty("state").GetString() == "Running")
            {
                job = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/models/jobs/{job.GetProperty("id").GetString()}?waitSeconds=5");
            }

            Assert.Equal("Succeeded", job.GetProperty("state").GetString());
        }

        var process = await StartProcessAsync(folder, packages, [$"--Models:Deployments:{deployment}:Model={modelId}", $"--Models:Deployments:{deployment}:Threads=1"]);
        return new ConsoleAppliance(folder, packages, process);
    }

    private static Task<NlpsdProcess> StartProcessAsync(TempFolder folder, PackageFactory packages, string[] arguments)
    {
        var box = Path.Combine(AppContext.BaseDirectory, "Fixtures", "l40s-4x");
        return NlpsdProcess.StartAsync(
            folder.Combine("state"),
            [.. arguments, "--Plugins:TrustedKeyFiles:0=" + packages.WriteTrustedKeyFile(), "--Hardware:SimulatedBoxFolder=" + box]);
    }

    /// <summary>Packs and installs a first-party agent once per appliance, however many tests of a class ask for it.</summary>
    public async Task InstallFirstPartyOnceAsync(string project)
    {
        await installGate.WaitAsync();
        try
        {
            if (installed.Add(project))
            {
                await InstallAsync(await Packages.BuildFirstPartyAsync(project));
            }
        }
        finally
        {
            installGate.Release();
        }
    }

    /// <summary>Installs a package through the admin API (for tests about other pages than the plugin list).</summary>
    public async Task InstallAsync(string packagePath)
    {
        using var admin = Process.CreateAdminClient();
        using var content = new ByteArrayContent(await File.ReadAllBytesAsync(packagePath));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await admin.PostAsync("/v1/admin/plugins", content);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Creates a console account the way provisioning does: <c>nlpsctl admins create</c>, the password on stdin.</summary>
    public void CreateAccount(string username, string password = Password)
    {
        var (exitCode, output) = Nlpsctl(password + "\n", "admins", "create", username);
        Assert.True(exitCode == 0, output);
        Assert.Contains("created " + username, output, StringComparison.Ordinal);
    }

    /// <summary>Runs nlpsctl against this appliance with its admin token file; <paramref name="input"/> goes to stdin.</summary>
    public (int ExitCode, string Output) Nlpsctl(string input, params string[] arguments) => TestTools.Run(
        "dotnet",
        [RepositoryPaths.Nlpsctl, "--url", BaseAddress.ToString(), "--token-file", Path.Combine(Process.StateDirectory, "admin.token"), .. arguments],
        input,
        TimeSpan.FromMinutes(2));

    public async Task<IReadOnlyList<JsonElement>> AuditAsync(string action)
    {
        using var admin = Process.CreateAdminClient();
        var rows = await admin.GetFromJsonAsync<JsonElement>($"/v1/admin/audit?limit=100&action={Uri.EscapeDataString(action)}");
        return [.. rows.EnumerateArray().Select(row => row.Clone())];
    }

    public HttpClient CreateClientWith(string bearer)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Process.DisposeAsync();
        }
        finally
        {
            installGate.Dispose();
            folder.Dispose();
        }
    }
}
