using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Nlps.Models.Estimation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nlps.Provisioning.Profiles;

/// <summary>
/// Reads a customer profile (YAML) and validates it completely before anything uses it: unknown fields, wrong types,
/// out-of-range numbers, unsafe media paths, duplicate ids and data for an agent the profile does not install are all
/// refused with the field's path.
/// </summary>
public static partial class ProfileReader
{
    public static async Task<CustomerProfile> ReadFileAsync(string path, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new ProfileException($"{path}: the profile file does not exist");
        }

        return Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), Path.GetFullPath(path));
    }

    public static CustomerProfile Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ProfileException($"{source}: not valid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1)
        {
            throw new ProfileException($"{source}: expected one YAML document, found {stream.Documents.Count}");
        }

        var root = new YamlFields(stream.Documents[0].RootNode, string.Empty, source, "customer", "hardware", "models", "plugins", "data", "apiKeys", "admin", "trustedKeys");
        CustomerInfo customer = ReadCustomer(Child(root, "customer", required: true, "id", "name")!);
        HardwareExpectation hardware = ReadHardware(Child(root, "hardware", required: false, "gpuModel", "gpuCount", "minMemoryGiB"));
        List<ModelSpec> models = root.Sequence("models").Select(m => ReadModel(new YamlFields(m.Node, m.Path, source, "id", "path", "quantization", "maxContext", "concurrency", "pinned", "device", "roles"))).ToList();
        List<PluginSpec> plugins = root.Sequence("plugins").Select(p => ReadPlugin(new YamlFields(p.Node, p.Path, source, "package", "config", "acceptance"))).ToList();
        List<DataImportSpec> data = root.Sequence("data").Select(d => ReadData(new YamlFields(d.Node, d.Path, source, "agent", "kind", "path", "knowledgeBase"))).ToList();
        List<ApiKeySpec> keys = root.Sequence("apiKeys").Select(k => ReadKey(new YamlFields(k.Node, k.Path, source, "name", "scopes"))).ToList();
        YamlFields adminFields = Child(root, "admin", required: true, "username")!;
        var admin = new AdminSpec(adminFields.RequiredString("username"));
        IReadOnlyList<string> trusted = root.Strings("trustedKeys").Select(k => MediaPath(root, "trustedKeys", k)).ToList();

        Unique(source, "models", models.Select(m => m.Id));
        Unique(source, "apiKeys", keys.Select(k => k.Name));
        if (plugins.Count > 0 && trusted.Count == 0)
        {
            throw new ProfileException($"{source}: trustedKeys: is required when plugins are listed (the publisher keys their signatures are checked against)");
        }

        return new CustomerProfile(source, customer, hardware, models, plugins, data, keys, admin, trusted);
    }

    private static YamlFields? Child(YamlFields parent, string key, bool required, params string[] allowed)
    {
        YamlNode? node = parent.Node(key);
        if (node is null)
        {
            return required ? throw new ProfileException($"{parent.File}: {parent.Field(key)}: is required") : null;
        }

        return new YamlFields(node, parent.Field(key), parent.File, allowed);
    }

    private static CustomerInfo ReadCustomer(YamlFields f)
    {
        string id = f.RequiredString("id");
        if (!CustomerId().IsMatch(id))
        {
            throw f.Invalid("id", $"'{id}' must be lower-case letters, digits and dashes (it names folders)");
        }

        var customer = new CustomerInfo(id, f.RequiredString("name"));
        return customer;
    }

    private static HardwareExpectation ReadHardware(YamlFields? f)
    {
        if (f is null)
        {
            return new HardwareExpectation(null, null, null);
        }

        long? gib = f.OptionalLong("minMemoryGiB", 1, 1 << 20);
        var hardware = new HardwareExpectation(f.OptionalString("gpuModel"), (int?)f.OptionalLong("gpuCount", 0, 64), gib * (1L << 30));
        return hardware;
    }

    private static ModelSpec ReadModel(YamlFields f)
    {
        string id = f.RequiredString("id");
        if (!ModelId().IsMatch(id))
        {
            throw f.Invalid("id", $"'{id}' must be letters, digits, '.', '_' or '-'");
        }

        string quantization = f.OptionalString("quantization") ?? "bf16";
        if (!Enum.TryParse(quantization, ignoreCase: true, out QuantizationMode mode) || int.TryParse(quantization, out _))
        {
            throw f.Invalid("quantization", $"'{quantization}' is not one of {string.Join(", ", Enum.GetNames<QuantizationMode>().Select(n => n.ToLowerInvariant()))}");
        }

        string device = f.OptionalString("device") ?? "any";
        if (device is not ("gpu" or "cpu" or "any"))
        {
            throw f.Invalid("device", $"'{device}' must be gpu, cpu or any");
        }

        var model = new ModelSpec(
            id,
            MediaPath(f, "path", f.RequiredString("path")),
            mode,
            f.RequiredInt("maxContext", 1, 1 << 24),
            (int?)f.OptionalLong("concurrency", 1, 4096) ?? 1,
            f.OptionalBool("pinned", fallback: false),
            device,
            f.Strings("roles"));
        return model;
    }

    private static PluginSpec ReadPlugin(YamlFields f)
    {
        string package = MediaPath(f, "package", f.RequiredString("package"));
        if (!package.EndsWith(".nlpkg", StringComparison.Ordinal))
        {
            throw f.Invalid("package", $"'{package}' is not a .nlpkg package");
        }

        JsonObject? config = f.Node("config") is { } node
            ? YamlToJson.ToJsonNode(node) as JsonObject ?? throw f.Error(f.Field("config"), node, "must be a mapping")
            : null;
        var acceptance = f.Sequence("acceptance").Select(a =>
        {
            var request = new YamlFields(a.Node, a.Path, f.File, "operation", "body");
            string operation = request.RequiredString("operation");
            JsonObject body = request.Node("body") is { } b
                ? YamlToJson.ToJsonNode(b) as JsonObject ?? throw request.Error(request.Field("body"), b, "must be a mapping")
                : [];
            return new AcceptanceRequest(operation, body);
        }).ToList();
        return new PluginSpec(package, config, acceptance);
    }

    private static DataImportSpec ReadData(YamlFields f)
    {
        string kind = f.RequiredString("kind");
        if (!DataKinds.All.Contains(kind))
        {
            throw f.Invalid("kind", $"'{kind}' is not one of {string.Join(", ", DataKinds.All)}");
        }

        string? kb = f.OptionalString("knowledgeBase");
        if ((kind == DataKinds.Documents) != (kb is not null))
        {
            throw f.Invalid("knowledgeBase", "is required for documents and only for them");
        }

        var data = new DataImportSpec(f.RequiredString("agent"), kind, MediaPath(f, "path", f.RequiredString("path")), kb);
        return data;
    }

    private static ApiKeySpec ReadKey(YamlFields f)
    {
        var key = new ApiKeySpec(f.RequiredString("name"), f.Strings("scopes"));
        if (key.Scopes.Count == 0)
        {
            throw f.Invalid("scopes", $"must list at least one scope");
        }
        return key;
    }

    // Media paths are relative and stay inside the media folder.
    private static string MediaPath(YamlFields f, string key, string path)
    {
        string normalized = path.Replace('\\', '/');
        if (normalized.StartsWith('/') || normalized.Split('/').Any(part => part is ".." or ""))
        {
            throw f.Invalid(key, $"'{path}' must be a relative path inside the media folder");
        }

        return normalized;
    }

    private static void Unique(string source, string field, IEnumerable<string> values)
    {
        if (values.GroupBy(v => v, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ProfileException($"{source}: {field}: '{twice.Key}' appears twice");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex CustomerId();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ModelId();
}
