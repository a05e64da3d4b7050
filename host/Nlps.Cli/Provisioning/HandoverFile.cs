using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Nlps.Provisioning;

namespace Nlps.Cli.Provisioning;

/// <summary>
/// The secrets handed to the customer: API key texts and the administrator password. Mode 0600, rewritten atomically
/// after every change, and never printed or logged: the report names keys by id only.
/// </summary>
internal sealed class HandoverFile
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };
    private readonly JsonObject _root;

    private HandoverFile(string path, JsonObject root)
    {
        FilePath = path;
        _root = root;
    }

    public string FilePath { get; }

    public static async Task<HandoverFile> OpenAsync(string path, string customerId, CancellationToken cancellationToken)
    {
        JsonObject root = File.Exists(path)
            ? JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken))?.AsObject() ?? []
            : new JsonObject { ["customer"] = customerId, ["apiKeys"] = new JsonObject() };
        return new HandoverFile(path, root);
    }

    public (string Id, string Key)? ApiKey(string name) =>
        _root["apiKeys"]?[name] is JsonObject key ? ((string)key["id"]!, (string)key["key"]!) : null;

    public Task SetApiKeyAsync(string name, string id, string key, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        ((JsonObject)_root["apiKeys"]!)[name] = new JsonObject { ["id"] = id, ["key"] = key, ["scopes"] = new JsonArray([.. scopes.Select(s => JsonValue.Create(s))]) };
        return SaveAsync(cancellationToken);
    }

    public string? AdminPassword(string username) =>
        _root["admin"] is JsonObject admin && (string?)admin["username"] == username ? (string?)admin["password"] : null;

    public Task SetAdminAsync(string username, string password, CancellationToken cancellationToken)
    {
        _root["admin"] = new JsonObject { ["username"] = username, ["password"] = password };
        return SaveAsync(cancellationToken);
    }

    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        string temp = FilePath + ".tmp";
        var stream = PrivateFile.Create(temp);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, _root, Options, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, FilePath, overwrite: true);
    }
}
