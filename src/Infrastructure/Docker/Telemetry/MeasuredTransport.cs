using Docker.DotNet.Handler.Abstractions;
using Microsoft.Extensions.Logging;

namespace ControlPanel.Infrastructure.Docker.Telemetry;

/// <summary>
/// Docker.DotNet's own transport for the endpoint (unix socket, or HTTP with the node's certificates), with a
/// <see cref="MeasuredEngineHandler"/> in front: Docker.DotNet takes no message handler of its own, only a factory.
/// Stream hijacking (exec attach) is left to the wrapped factory: the response content passes through untouched.
/// </summary>
internal sealed class MeasuredTransport<TOptions>(IDockerHandlerFactory<TOptions> inner, string node) : IDockerHandlerFactory<TOptions>
{
    public ResolvedTransport CreateHandler(TOptions transportOptions, ResolvedClientOptions clientOptions, ILogger logger) =>
        Measured(inner.CreateHandler(transportOptions, clientOptions, logger));

    public ResolvedTransport CreateHandler(ResolvedClientOptions clientOptions, ILogger logger) =>
        Measured(inner.CreateHandler(clientOptions, logger));

    public Task<WriteClosableStream> HijackStreamAsync(HttpContent content) => inner.HijackStreamAsync(content);

    private ResolvedTransport Measured(ResolvedTransport transport) => transport with { Handler = new MeasuredEngineHandler(node, transport.Handler) };
}

/// <summary>
/// Docker.DotNet hands the transport's handler to the auth provider (the node's certificates) after the factory made
/// it; that is the measuring handler now, so the certificates go to the transport inside it.
/// </summary>
internal sealed class MeasuredAuthProvider(IAuthProvider inner) : IAuthProvider
{
    public bool TlsEnabled => inner.TlsEnabled;

    public HttpMessageHandler ConfigureHandler(HttpMessageHandler handler)
    {
        if (handler is not MeasuredEngineHandler measured) return inner.ConfigureHandler(handler);
        measured.InnerHandler = inner.ConfigureHandler(measured.InnerHandler!);
        return measured;
    }
}
