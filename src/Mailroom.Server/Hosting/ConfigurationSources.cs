using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace Mailroom.Server.Hosting;

/// <summary>Where a configuration value came from; environment variables and command-line flags lock it.</summary>
public enum ConfigurationSource
{
    /// <summary>Nothing set it: the built-in default.</summary>
    Default,

    /// <summary>appsettings.json (or another file).</summary>
    File,

    /// <summary>An environment variable (<c>Mailroom__…</c>): fixed for this process.</summary>
    Environment,

    /// <summary>A command-line flag (<c>mailroom serve --…</c>, <c>--Mailroom:…</c>): fixed for this process.</summary>
    CommandLine,
}

/// <summary>One leaf of the options tree as this process sees it.</summary>
/// <param name="Key">The configuration key, e.g. <c>Mailroom:Delivery:BatchSize</c>.</param>
/// <param name="Value">The value, or "(set)" for a secret; null when unset.</param>
/// <param name="Source">Where it came from.</param>
public sealed record ConfigurationEntry(string Key, string? Value, ConfigurationSource Source)
{
    /// <summary>Set by the environment or a flag: the operator fixed it for this process, so the UI shows it LOCKED.</summary>
    public bool Locked => Source is ConfigurationSource.Environment or ConfigurationSource.CommandLine;
}

/// <summary>
/// The options tree (every settable leaf of <see cref="MailroomOptions"/>, plus <c>urls</c>) with
/// each value's source, for the administrator's read-only view. Secrets are never shown.
/// </summary>
public static class ConfigurationSources
{
    private static readonly string[] SecretNames = ["Password", "ConnectionString", "AdminApiKey", "ClientSecret", "CertificatePassword"];

    /// <summary>Every leaf key of the options tree, in declaration order.</summary>
    public static IReadOnlyList<string> Keys { get; } = ["urls", .. LeafKeys(typeof(MailroomOptions), MailroomOptions.Section)];

    /// <summary>The tree as <paramref name="configuration"/> (the app's root configuration) has it.</summary>
    public static IReadOnlyList<ConfigurationEntry> Describe(IConfiguration configuration)
    {
        var providers = (configuration as IConfigurationRoot)?.Providers.Reverse().ToArray() ?? [];
        var defaults = new MailroomOptions();
        return Keys.Select(key =>
        {
            // The last provider holding the key wins, as in ASP.NET Core itself.
            var winner = providers.FirstOrDefault(p => p.TryGet(key, out _));
            var source = winner switch
            {
                null => ConfigurationSource.Default,
                EnvironmentVariablesConfigurationProvider => ConfigurationSource.Environment,
                CommandLineConfigurationProvider => ConfigurationSource.CommandLine,
                _ => ConfigurationSource.File,
            };
            var value = configuration[key] ?? (source == ConfigurationSource.Default ? DefaultOf(defaults, key) : null);
            if (value is not null && SecretNames.Any(s => key.EndsWith(":" + s, StringComparison.Ordinal))) value = "(set)";
            return new ConfigurationEntry(key, value, source);
        }).ToArray();
    }

    private static IEnumerable<string> LeafKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = prefix + ":" + property.Name;
            var t = property.PropertyType;
            if (t.IsClass && t != typeof(string)) foreach (var leaf in LeafKeys(t, key)) yield return leaf;
            else yield return key;
        }
    }

    private static string? DefaultOf(object root, string key)
    {
        object? current = root;
        foreach (var name in key.Split(':').Skip(1))
            current = current?.GetType().GetProperty(name)?.GetValue(current);
        return current is null ? null : Convert.ToString(current, CultureInfo.InvariantCulture);
    }
}
