package dev.ixws.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds every place where the public API of a package mentions a type of a forbidden package
 * (Netty): supertypes, fields, constructors, methods, record components, generic arguments, bounds
 * and exceptions of every public or protected member of every public type.
 */
public final class PublicApiChecker {

  private final String forbiddenPrefix;

  /** A checker that forbids types whose name starts with {@code forbiddenPrefix}. */
  public PublicApiChecker(String forbiddenPrefix) {
    this.forbiddenPrefix = forbiddenPrefix;
  }

  /**
   * The leaks in the public types of {@code packageName} found next to {@code anchor}'s class file
   * (the same classes directory or jar root); empty when the API is clean.
   */
  public List<String> leaksInPackage(Class<?> anchor, String packageName) {
    List<String> leaks = new ArrayList<>();
    for (Class<?> type : classesOf(anchor, packageName)) {
      leaks.addAll(leaksIn(type));
    }
    return leaks;
  }

  /** The leaks in one type's public signature (nothing if the type is not public). */
  public List<String> leaksIn(Class<?> type) {
    List<String> leaks = new ArrayList<>();
    if (!Modifier.isPublic(type.getModifiers())) {
      return leaks;
    }
    String where = type.getName();
    check(type.getGenericSuperclass(), where + " extends", leaks);
    for (Type iface : type.getGenericInterfaces()) {
      check(iface, where + " implements", leaks);
    }
    for (TypeVariable<?> variable : type.getTypeParameters()) {
      check(variable, where + " type parameter", leaks);
    }
    if (type.isRecord()) {
      for (RecordComponent component : type.getRecordComponents()) {
        check(component.getGenericType(), where + "." + component.getName(), leaks);
      }
    }
    for (Field field : type.getDeclaredFields()) {
      if (visible(field.getModifiers())) {
        check(field.getGenericType(), where + "." + field.getName(), leaks);
      }
    }
    for (Constructor<?> constructor : type.getDeclaredConstructors()) {
      checkExecutable(constructor, where + ".<init>", leaks);
    }
    for (Method method : type.getDeclaredMethods()) {
      if (!method.isSynthetic()) {
        checkExecutable(method, where + "." + method.getName() + "()", leaks);
        if (visible(method.getModifiers())) {
          check(
              method.getGenericReturnType(), where + "." + method.getName() + "() returns", leaks);
        }
      }
    }
    for (Class<?> nested : type.getDeclaredClasses()) {
      leaks.addAll(leaksIn(nested));
    }
    return leaks;
  }

  private void checkExecutable(Executable executable, String where, List<String> leaks) {
    if (!visible(executable.getModifiers())) {
      return;
    }
    for (Type parameter : executable.getGenericParameterTypes()) {
      check(parameter, where + " parameter", leaks);
    }
    for (Type exception : executable.getGenericExceptionTypes()) {
      check(exception, where + " throws", leaks);
    }
    for (TypeVariable<?> variable : executable.getTypeParameters()) {
      check(variable, where + " type parameter", leaks);
    }
  }

  private void check(Type type, String where, List<String> leaks) {
    check(type, where, leaks, new HashSet<>());
  }

  private void check(Type type, String where, List<String> leaks, Set<Type> seen) {
    if (type == null || !seen.add(type)) {
      return;
    }
    if (type instanceof Class<?> c) {
      Class<?> element = c;
      while (element.isArray()) {
        element = element.getComponentType();
      }
      if (element.getName().startsWith(forbiddenPrefix)) {
        leaks.add(where + ": " + element.getName());
      }
    } else if (type instanceof ParameterizedType p) {
      check(p.getRawType(), where, leaks, seen);
      check(p.getOwnerType(), where, leaks, seen);
      for (Type argument : p.getActualTypeArguments()) {
        check(argument, where, leaks, seen);
      }
    } else if (type instanceof WildcardType w) {
      for (Type bound : w.getUpperBounds()) {
        check(bound, where, leaks, seen);
      }
      for (Type bound : w.getLowerBounds()) {
        check(bound, where, leaks, seen);
      }
    } else if (type instanceof GenericArrayType g) {
      check(g.getGenericComponentType(), where, leaks, seen);
    } else if (type instanceof TypeVariable<?> v) {
      for (Type bound : v.getBounds()) {
        check(bound, where, leaks, seen);
      }
    }
  }

  private static boolean visible(int modifiers) {
    return Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers);
  }

  /** The top-level classes of {@code packageName} in the classes directory of {@code anchor}. */
  static List<Class<?>> classesOf(Class<?> anchor, String packageName) {
    Path root;
    try {
      root = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Path dir = root.resolve(packageName.replace('.', '/'));
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.endsWith(".class") && !name.contains("$") && !name.equals("package-info.class")) {
          String className = packageName + "." + name.substring(0, name.length() - 6);
          classes.add(Class.forName(className, false, anchor.getClassLoader()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(e);
    }
    if (classes.isEmpty()) {
      throw new IllegalStateException("no classes found in " + dir);
    }
    return classes;
  }
}
