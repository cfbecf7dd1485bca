using System.Text.RegularExpressions;

namespace ControlPanel.TestSupport;

/// <summary>Posts the sign-in form the way a browser does: with the antiforgery token from the sign-in page.</summary>
public static partial class FormSignIn
{
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string returnUrl = "/containers")
    {
        var token = AntiforgeryToken(await browser.GetStringAsync("/account/login"));
        return await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = user, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
    }

    /// <summary>The sign-in form's antiforgery token, from the page's HTML.</summary>
    public static string AntiforgeryToken(string page) => AntiforgeryField().Match(page).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
