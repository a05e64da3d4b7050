using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Nlps.Cli.Client;

/// <summary>Talks to nlpsd's admin API with the administrator token; turns problem documents into <see cref="AdminApiException"/>.</summary>
internal sealed class AdminClient(HttpClient http) : IDisposable
{
    public static AdminClient Create(Uri baseAddress, string token)
    {
        var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new AdminClient(http);
    }

    public Task<JsonElement> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<JsonElement> PostAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path), cancellationToken);

    public Task<JsonElement> PostJsonAsync(string path, string json, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") }, cancellationToken);

    public Task<JsonElement> DeleteAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    public async Task<JsonElement> UploadAsync(string path, Stream content, long length, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var body = new ProgressStreamContent(content, length, progress);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return await SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body }, cancellationToken);
    }

    /// <summary>
    /// Posts JSON and yields the response: one item for a JSON body, or each event's data as it arrives for a
    /// server-sent event stream (an <c>error</c> event ends it with an <see cref="AdminApiException"/>).
    /// </summary>
    public async IAsyncEnumerable<ReplyItem> PostJsonForEventsAsync(string path, string json, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        using var response = await SendForHeadersAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw FromProblem(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/event-stream")
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            yield return new ReplyItem(text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), Streamed: false);
            yield break;
        }

        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), System.Text.Encoding.UTF8);
        string? eventName = null;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                eventName = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var data = line["data: ".Length..];
                switch (eventName)
                {
                    case "done":
                        yield break;
                    case "error":
                        var error = JsonDocument.Parse(data).RootElement;
                        throw new AdminApiException(error.GetProperty("code").GetString() ?? "stream_error", "the operation failed while streaming");
                    default:
                        yield return new ReplyItem(JsonDocument.Parse(data).RootElement.Clone(), Streamed: true);
                        break;
                }
            }
            else if (line.Length == 0)
            {
                eventName = null;
            }
        }
    }

    public void Dispose() => http.Dispose();

    private async Task<HttpResponseMessage> SendForHeadersAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
    }

    private AdminApiException Unreachable(HttpRequestException ex) =>
        new("unreachable", $"cannot reach nlpsd at {http.BaseAddress}: {ex.Message}", exitCode: 3);

    private async Task<JsonElement> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw Unreachable(ex);
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
                }

                throw FromProblem(response.StatusCode, text);
            }
        }
    }

    private static AdminApiException FromProblem(HttpStatusCode status, string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var root = problem.RootElement;
            var code = root.TryGetProperty("code", out var c) ? c.GetString() : null;
            var detail = root.TryGetProperty("detail", out var d) ? d.GetString() : null;
            var title = root.TryGetProperty("title", out var t) ? t.GetString() : null;
            return new AdminApiException(code ?? ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), detail ?? title ?? status.ToString(), status: (int)status);
        }
        catch (JsonException)
        {
            return new AdminApiException(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), $"{(int)status} {status}", status: (int)status);
        }
    }
}
