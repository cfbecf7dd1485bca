namespace ControlPanel.Infrastructure.Registry;

/// <summary>How the registry client may be steered by registries (ControlPanel:Registries).</summary>
public sealed class RegistryOptions
{
    public const string Section = "ControlPanel:Registries";

    /// <summary>
    /// Host names, besides each registry's own, that a registry may send the panel to for a token (with the registry's
    /// credentials), such as auth.docker.io for Docker Hub. Any port of the registry's own host name is accepted.
    /// </summary>
    public List<string> AllowedTokenRealms { get; set; } = [];
}
