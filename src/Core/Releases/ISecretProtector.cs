namespace ControlPanel.Core.Releases;

/// <summary>Encrypts values the panel must keep but never show (secret environment values).</summary>
public interface ISecretProtector
{
    string Protect(string value);

    /// <summary>Throws <see cref="Common.ControlPanelException"/> when the value cannot be decrypted (keys lost).</summary>
    string Unprotect(string protectedValue);
}
