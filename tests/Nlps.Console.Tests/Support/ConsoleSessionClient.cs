using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Nlps.Console.Tests.Support;

/// <summary>The console's session over plain HTTP against a real nlpsd: keeps the cookies and sends the antiforgery token it was given.</summary>
public sealed class ConsoleSessionClient : IDisposable
{
    private readonly CookieContainer cookies = new();
    private readonly HttpClient http;
    private string csrfToken = string.Empty;

    public ConsoleSessionClient(Uri baseAddress)
    {
        http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = baseAddress };
    }

    /// <summary>A client at <paramref name="baseAddress"/> carrying this one's cookies (an nlpsd restarted on another port).</summary>
    public ConsoleSessionClient MoveTo(Uri baseAddress)
    {
        var moved = new ConsoleSessionClient(baseAddress);
        foreach (Cookie cookie in cookies.GetAllCookies())
        {
            moved.cookies.Add(baseAddress, new Cookie(cookie.Name, cookie.Value, "/"));
        }

        return moved;
    }

    /// <summary>GET /v1/admin/session: the state (setup, signed-out, signed-in), remembering the fresh antiforgery token.</summary>
    public async Task<string> StateAsync()
    {
        var session = await http.GetFromJsonAsync<JsonElement>("/v1/admin/session");
        csrfToken = session.GetProperty("csrfToken").GetString()!;
        return session.GetProperty("state").GetString()!;
    }

    public async Task<HttpStatusCode> SignInAsync(string username, string password) =>
        await SendAsync(HttpMethod.Post, "/v1/admin/session/login", new { username, password });

    public async Task<HttpStatusCode> SetUpAsync(string username, string password) =>
        await SendAsync(HttpMethod.Post, "/v1/admin/session/setup", new { username, password });

    /// <summary>Sends a request as the console does (antiforgery token in its header) and returns the status.</summary>
    public async Task<HttpStatusCode> SendAsync(HttpMethod method, string path, object? body = null)
    {
        if (csrfToken.Length == 0)
        {
            await StateAsync();
        }

        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-CSRF-Token", csrfToken);
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await http.SendAsync(request);
        if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "application/json"
            && (await response.Content.ReadFromJsonAsync<JsonElement>()) is { ValueKind: JsonValueKind.Object } json
            && json.TryGetProperty("csrfToken", out var token))
        {
            csrfToken = token.GetString()!;
        }

        return response.StatusCode;
    }

    public async Task<HttpStatusCode> GetStatusAsync(string path)
    {
        using var response = await http.GetAsync(path);
        return response.StatusCode;
    }

    public void Dispose() => http.Dispose();
}
