//! Who is using spridning: the operating-system login of the process, from its user id (not
//! from `$USER`, which anyone can set).

/// The login name of the real user id, or `uid<N>` when the system has no name for it.
pub fn os_login() -> String {
    // SAFETY: getuid cannot fail; getpwuid_r writes into the buffers we own and returns a
    // pointer into them (or null), which we read before the buffers go out of scope.
    unsafe {
        let uid = libc::getuid();
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0 && !result.is_null() && !pwd.pw_name.is_null() {
            let name = std::ffi::CStr::from_ptr(pwd.pw_name)
                .to_string_lossy()
                .into_owned();
            if !name.is_empty() {
                return name;
            }
        }
        format!("uid{uid}")
    }
}
