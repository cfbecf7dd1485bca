using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace ControlPanel.Infrastructure.Tests.Consul;

/// <summary>Plain HTTP calls to a Consul address, as any client would make them, for testing the stand-in itself.</summary>
internal sealed class ConsulHttp(Uri address, string? token = null) : IDisposable
{
    private readonly HttpClient _client = Create(address, token);

    public async Task<(JsonElement Body, ulong Index)> GetAsync(string pathAndQuery)
    {
        using var response = await _client.GetAsync(pathAndQuery);
        Assert.True(response.IsSuccessStatusCode, $"GET {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var index = response.Headers.TryGetValues("X-Consul-Index", out var values)
            ? ulong.Parse(values.Single(), CultureInfo.InvariantCulture) : 0;
        return (await response.Content.ReadFromJsonAsync<JsonElement>(), index);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string pathAndQuery) =>
        _client.SendAsync(new HttpRequestMessage(method, pathAndQuery));

    public async Task PutAsync(string pathAndQuery, object? body = null)
    {
        using var response = body is null ? await _client.PutAsync(pathAndQuery, null) : await _client.PutAsJsonAsync(pathAndQuery, body);
        Assert.True(response.IsSuccessStatusCode, $"PUT {pathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Follows a blocking query until <paramref name="done"/> holds or a bounded number of answers came back.</summary>
    public async Task<JsonElement> WatchUntilAsync(string path, Func<JsonElement, bool> done)
    {
        var (body, index) = await GetAsync(path);
        for (var answers = 0; !done(body) && answers < 30; answers++)
            (body, index) = await GetAsync($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}index={index}&wait=2s");
        return body;
    }

    public static JsonElement Check(JsonElement healthEntry, string checkId) =>
        healthEntry.GetProperty("Checks").EnumerateArray().Single(c => c.GetProperty("CheckID").GetString() == checkId);

    public void Dispose() => _client.Dispose();

    private static HttpClient Create(Uri address, string? token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        if (token is not null) client.DefaultRequestHeaders.Add("X-Consul-Token", token);
        return client;
    }
}
