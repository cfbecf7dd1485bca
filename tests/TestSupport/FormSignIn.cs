using System.Text.RegularExpressions;

namespace ControlPanel.TestSupport;

/// <summary>Posts the sign-in form the way a browser does: with the antiforgery token from the sign-in page.</summary>
public static partial class FormSignIn
{
    public static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string returnUrl = "/containers")
    {
        var page = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryField().Match(page).Groups[1].Value;
        return await browser.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userName"] = user, ["password"] = password, ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = token,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
