using System.Reflection;

namespace Mailroom.Core.Storage;

/// <summary>
/// A backend's schema scripts, embedded as <c>Schema/NNN_name.sql</c> resources: the same numbers
/// in every backend, each backend with its own SQL.
/// </summary>
public sealed class SchemaScripts
{
    private readonly Assembly _assembly;

    /// <summary>The scripts embedded in <paramref name="assembly"/>.</summary>
    public SchemaScripts(Assembly assembly)
    {
        _assembly = assembly;
        All = assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => (Version: int.Parse(n.Split('.')[^2][..3]), Name: n))
            .OrderBy(s => s.Version)
            .ToArray();
    }

    /// <summary>The scripts, ordered by their number.</summary>
    public IReadOnlyList<(int Version, string Name)> All { get; }

    /// <summary>The newest schema version.</summary>
    public int LatestVersion => All.Count == 0 ? 0 : All[^1].Version;

    /// <summary>The text of the script <paramref name="resourceName"/>.</summary>
    /// <exception cref="InvalidOperationException">No such resource.</exception>
    public string Read(string resourceName)
    {
        using var stream = _assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Missing embedded schema script {resourceName}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The error for a database made by a newer Mailroom than this one.</summary>
    public InvalidOperationException TooNew(string database, int current) =>
        new($"The database {database} is at schema version {current}, newer than this Mailroom knows ({LatestVersion}). Upgrade Mailroom.");
}
